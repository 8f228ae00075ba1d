package io.switchboard.stun;

import java.nio.ByteBuffer;

/** CACHE-TIMEOUT: how long the client's NAT binding is believed to last, in seconds (RFC 5780 §7.6). */
public record CacheTimeout(long seconds) implements StunAttribute {
    public static final int LENGTH = 4;

    public CacheTimeout {
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("CACHE_TIMEOUT must be an unsigned 32-bit value, got " + seconds);
        }
    }

    @Override
    public int type() {
        return AttributeType.CACHE_TIMEOUT;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putInt((int) seconds);
    }

    static CacheTimeout decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new CacheTimeout(r.u32());
    }
}
