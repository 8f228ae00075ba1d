package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** UNKNOWN-ATTRIBUTES: the comprehension-required types a 420 response did not understand (RFC 8489 §14.13). */
public record UnknownAttributes(List<Integer> types) implements StunAttribute {
    /** A cap on the list, so that one message cannot make a large list of boxed integers. */
    public static final int MAX_TYPES = 128;

    public UnknownAttributes {
        types = List.copyOf(types);
        if (types.size() > MAX_TYPES) {
            throw new IllegalArgumentException("UNKNOWN-ATTRIBUTES lists at most " + MAX_TYPES + " types");
        }
        for (int t : types) {
            if (t < 0 || t > 0xFFFF) {
                throw new IllegalArgumentException("attribute type must be 16 bits, got " + t);
            }
        }
    }

    @Override
    public int type() {
        return AttributeType.UNKNOWN_ATTRIBUTES;
    }

    @Override
    public int valueLength() {
        return 2 * types.size();
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        for (int t : types) {
            out.putShort((short) t);
        }
    }

    static UnknownAttributes decode(StunReader r) throws StunDecodeException {
        if (r.remaining() % 2 != 0) {
            throw r.error("got " + r.remaining() + " bytes, expected a multiple of 2");
        }
        if (r.remaining() / 2 > MAX_TYPES) {
            throw r.error("lists " + r.remaining() / 2 + " types, at most " + MAX_TYPES + " allowed");
        }
        List<Integer> types = new ArrayList<>(r.remaining() / 2);
        while (r.remaining() > 0) {
            types.add(r.u16());
        }
        return new UnknownAttributes(types);
    }
}
