package io.switchboard.stun;

import java.nio.ByteBuffer;

/** DONT-FRAGMENT: asks the server to set the DF bit on relayed packets (RFC 8656 §18.8). */
public record DontFragment() implements StunAttribute {
    public static final int LENGTH = 0;

    @Override
    public int type() {
        return AttributeType.DONT_FRAGMENT;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        // no value
    }

    static DontFragment decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new DontFragment();
    }
}
