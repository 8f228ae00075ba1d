package io.switchboard.stun;

import java.nio.ByteBuffer;

/** ALTERNATE-DOMAIN: the domain name of the alternate server, for its TLS certificate (RFC 8489 §14.16). */
public record AlternateDomain(String domain) implements StunAttribute {
    /** A domain name is at most 255 bytes (RFC 8489 §14.16, RFC 1035). */
    public static final int MAX_LENGTH = 255;

    public AlternateDomain {
        if (domain == null) {
            throw new IllegalArgumentException("ALTERNATE-DOMAIN is required");
        }
        for (int i = 0; i < domain.length(); i++) {
            if (domain.charAt(i) > 0x7E || domain.charAt(i) < 0x21) {
                throw new IllegalArgumentException("ALTERNATE-DOMAIN must be an ASCII domain name: " + domain);
            }
        }
        int length = Utf8.length(domain);
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("ALTERNATE-DOMAIN is " + length + " bytes, at most " + MAX_LENGTH + " allowed");
        }
    }

    @Override
    public int type() {
        return AttributeType.ALTERNATE_DOMAIN;
    }

    @Override
    public int valueLength() {
        return Utf8.length(domain);
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put(Utf8.encode(domain));
    }

    static AlternateDomain decode(StunReader r) throws StunDecodeException {
        r.requireAtMost(MAX_LENGTH);
        String domain = r.utf8();
        for (int i = 0; i < domain.length(); i++) {
            if (domain.charAt(i) > 0x7E || domain.charAt(i) < 0x21) {
                throw r.error("not an ASCII domain name");
            }
        }
        return new AlternateDomain(domain);
    }
}
