package io.switchboard.stun;

import java.nio.ByteBuffer;

/** ICE-CONTROLLED: the sender is in the controlled role; carries its 64-bit tie-breaker (RFC 8445 §16.1). */
public record IceControlled(long tieBreaker) implements StunAttribute {
    public static final int LENGTH = 8;

    @Override
    public int type() {
        return AttributeType.ICE_CONTROLLED;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putLong(tieBreaker);
    }

    static IceControlled decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new IceControlled(r.i64());
    }
}
