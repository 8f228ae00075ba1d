package io.switchboard.stun;

import java.nio.ByteBuffer;

/** ICE-CONTROLLING: the sender is in the controlling role; carries its 64-bit tie-breaker (RFC 8445 §16.1). */
public record IceControlling(long tieBreaker) implements StunAttribute {
    public static final int LENGTH = 8;

    @Override
    public int type() {
        return AttributeType.ICE_CONTROLLING;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putLong(tieBreaker);
    }

    static IceControlling decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new IceControlling(r.i64());
    }
}
