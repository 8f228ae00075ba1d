package io.switchboard.stun;

import java.nio.ByteBuffer;

/** NONCE: the server's nonce for long-term credentials, possibly starting with the nonce cookie (RFC 8489 §14.10, §9.2). */
public record Nonce(String nonce) implements StunAttribute {
    /** Fewer than 128 characters, up to 763 bytes when decoding (RFC 8489 §14.10). */
    public static final int MAX_LENGTH = 763;

    public Nonce {
        if (nonce == null) {
            throw new IllegalArgumentException("NONCE is required");
        }
        Utf8.requireWellFormed(nonce, "NONCE");
        int length = Utf8.length(nonce);
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("NONCE is " + length + " bytes, at most " + MAX_LENGTH + " allowed");
        }
    }

    @Override
    public int type() {
        return AttributeType.NONCE;
    }

    @Override
    public int valueLength() {
        return Utf8.length(nonce);
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put(Utf8.encode(nonce));
    }

    /** The "nonce cookie" that starts a nonce announcing STUN security features (RFC 8489 §9.2). */
    public static final String COOKIE_PREFIX = "obMatJos2";

    /** Whether this nonce starts with the RFC 8489 nonce cookie followed by 4 base64 characters of feature bits. */
    public boolean hasNonceCookie() {
        return nonce.startsWith(COOKIE_PREFIX) && nonce.length() >= COOKIE_PREFIX.length() + 4;
    }

    static Nonce decode(StunReader r) throws StunDecodeException {
        r.requireAtMost(MAX_LENGTH);
        return new Nonce(r.utf8());
    }
}
