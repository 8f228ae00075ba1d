package io.switchboard.stun;

import java.nio.ByteBuffer;

/** RESPONSE-PORT: the port the server should send its response to (RFC 5780 §7.5). */
public record ResponsePort(int port) implements StunAttribute {
    public static final int LENGTH = 4;

    public ResponsePort {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
    }

    @Override
    public int type() {
        return AttributeType.RESPONSE_PORT;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putShort((short) port);
        out.putShort((short) 0);
    }

    static ResponsePort decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        int port = r.u16();
        r.skip(2);
        return new ResponsePort(port);
    }
}
