package io.switchboard.stun;

import java.nio.ByteBuffer;

/** USERNAME: the user of a long-term or short-term credential, already prepared with OpaqueString (RFC 8489 §14.3). */
public record Username(String name) implements StunAttribute {
    /** Less than 513 bytes (RFC 8489 §14.3). */
    public static final int MAX_LENGTH = 512;

    public Username {
        if (name == null) {
            throw new IllegalArgumentException("USERNAME is required");
        }
        Utf8.requireWellFormed(name, "USERNAME");
        int length = Utf8.length(name);
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("USERNAME is " + length + " bytes, at most " + MAX_LENGTH + " allowed");
        }
    }

    @Override
    public int type() {
        return AttributeType.USERNAME;
    }

    @Override
    public int valueLength() {
        return Utf8.length(name);
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put(Utf8.encode(name));
    }

    static Username decode(StunReader r) throws StunDecodeException {
        r.requireAtMost(MAX_LENGTH);
        return new Username(r.utf8());
    }
}
