package io.switchboard.stun;

import java.nio.ByteBuffer;

/** CONNECTION-ID: identifies a TCP connection between the TURN server and a peer (RFC 6062 §6.2.1). */
public record ConnectionId(long id) implements StunAttribute {
    public static final int LENGTH = 4;

    public ConnectionId {
        if (id < 0 || id > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("CONNECTION_ID must be an unsigned 32-bit value, got " + id);
        }
    }

    @Override
    public int type() {
        return AttributeType.CONNECTION_ID;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putInt((int) id);
    }

    static ConnectionId decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new ConnectionId(r.u32());
    }
}
