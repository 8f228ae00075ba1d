package io.switchboard.stun;

import java.nio.ByteBuffer;

/** PRIORITY: the priority of the peer-reflexive candidate an ICE check would discover (RFC 8445 §16.1). */
public record Priority(long priority) implements StunAttribute {
    public static final int LENGTH = 4;

    public Priority {
        if (priority < 0 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("PRIORITY must be an unsigned 32-bit value, got " + priority);
        }
    }

    @Override
    public int type() {
        return AttributeType.PRIORITY;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putInt((int) priority);
    }

    static Priority decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new Priority(r.u32());
    }
}
