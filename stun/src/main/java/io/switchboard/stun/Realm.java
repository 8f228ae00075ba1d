package io.switchboard.stun;

import java.nio.ByteBuffer;

/** REALM: the protection domain of long-term credentials (RFC 8489 §14.9). */
public record Realm(String realm) implements StunAttribute {
    /** Fewer than 128 characters, up to 763 bytes when decoding (RFC 8489 §14.9). */
    public static final int MAX_LENGTH = 763;

    public Realm {
        if (realm == null) {
            throw new IllegalArgumentException("REALM is required");
        }
        Utf8.requireWellFormed(realm, "REALM");
        int length = Utf8.length(realm);
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("REALM is " + length + " bytes, at most " + MAX_LENGTH + " allowed");
        }
    }

    @Override
    public int type() {
        return AttributeType.REALM;
    }

    @Override
    public int valueLength() {
        return Utf8.length(realm);
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put(Utf8.encode(realm));
    }

    static Realm decode(StunReader r) throws StunDecodeException {
        r.requireAtMost(MAX_LENGTH);
        return new Realm(r.utf8());
    }
}
