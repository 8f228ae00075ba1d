package io.switchboard.stun;

import java.nio.ByteBuffer;

/** SOFTWARE: a textual description of the software (RFC 8489 §14.14). */
public record Software(String description) implements StunAttribute {
    /** Fewer than 128 characters, up to 763 bytes when decoding (RFC 8489 §14.14). */
    public static final int MAX_LENGTH = 763;

    public Software {
        if (description == null) {
            throw new IllegalArgumentException("SOFTWARE is required");
        }
        Utf8.requireWellFormed(description, "SOFTWARE");
        int length = Utf8.length(description);
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("SOFTWARE is " + length + " bytes, at most " + MAX_LENGTH + " allowed");
        }
    }

    @Override
    public int type() {
        return AttributeType.SOFTWARE;
    }

    @Override
    public int valueLength() {
        return Utf8.length(description);
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put(Utf8.encode(description));
    }

    static Software decode(StunReader r) throws StunDecodeException {
        r.requireAtMost(MAX_LENGTH);
        return new Software(r.utf8());
    }
}
