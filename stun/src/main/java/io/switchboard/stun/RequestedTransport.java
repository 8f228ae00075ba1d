package io.switchboard.stun;

import java.nio.ByteBuffer;

/** REQUESTED-TRANSPORT: the IP protocol number of the relay, 17 for UDP, 6 for TCP (RFC 8656 §18.10, RFC 6062 §6.1). */
public record RequestedTransport(int protocol) implements StunAttribute {
    public static final int LENGTH = 4;
    public static final int UDP = 17;
    public static final int TCP = 6;

    public RequestedTransport {
        if (protocol < 0 || protocol > 0xFF) {
            throw new IllegalArgumentException("protocol must be one byte, got " + protocol);
        }
    }

    @Override
    public int type() {
        return AttributeType.REQUESTED_TRANSPORT;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put((byte) protocol);
        out.put((byte) 0);
        out.putShort((short) 0);
    }

    static RequestedTransport decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        int protocol = r.u8();
        r.skip(3);
        return new RequestedTransport(protocol);
    }
}
