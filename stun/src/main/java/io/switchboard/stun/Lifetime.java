package io.switchboard.stun;

import java.nio.ByteBuffer;

/** LIFETIME: seconds until the allocation expires without a refresh (RFC 8656 §18.2). */
public record Lifetime(long seconds) implements StunAttribute {
    public static final int LENGTH = 4;

    public Lifetime {
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("LIFETIME must be an unsigned 32-bit value, got " + seconds);
        }
    }

    @Override
    public int type() {
        return AttributeType.LIFETIME;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putInt((int) seconds);
    }

    static Lifetime decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new Lifetime(r.u32());
    }
}
