package io.switchboard.stun;

import java.nio.ByteBuffer;

/** USE-CANDIDATE: the controlling agent nominates this candidate pair (RFC 8445 §16.1). */
public record UseCandidate() implements StunAttribute {
    public static final int LENGTH = 0;

    @Override
    public int type() {
        return AttributeType.USE_CANDIDATE;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        // no value
    }

    static UseCandidate decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new UseCandidate();
    }
}
