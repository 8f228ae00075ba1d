package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** MESSAGE-INTEGRITY-SHA256: HMAC-SHA256, possibly truncated, over the message up to this attribute (RFC 8489 §14.6). */
public record MessageIntegritySha256(byte[] hmac) implements StunAttribute {
    /** At least 16 bytes (RFC 8489 §14.6). */
    public static final int MIN_LENGTH = 16;
    /** At most 32 bytes, the full HMAC-SHA256 (RFC 8489 §14.6). */
    public static final int MAX_LENGTH = 32;

    public MessageIntegritySha256 {
        if (hmac == null) {
            throw new IllegalArgumentException("MESSAGE_INTEGRITY_SHA256 value is required");
        }
        if (hmac.length < MIN_LENGTH || hmac.length > MAX_LENGTH || hmac.length % 4 != 0) {
            throw new IllegalArgumentException("MESSAGE-INTEGRITY-SHA256 is 16-32 bytes in steps of 4, got " + hmac.length);
        }
        hmac = hmac.clone();
    }

    /** A copy of the value. */
    @Override
    public byte[] hmac() {
        return hmac.clone();
    }

    /** The value's length, without copying it. */
    public int length() {
        return hmac.length;
    }

    @Override
    public int type() {
        return AttributeType.MESSAGE_INTEGRITY_SHA256;
    }

    @Override
    public int valueLength() {
        return hmac.length;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put(hmac);
    }

    /**
     * Whether the message's MESSAGE-INTEGRITY-SHA256 is the HMAC-SHA256 (truncated to its length) of its bytes under
     * {@code key}, compared in constant time; false when it has none (RFC 8489 §14.6).
     */
    public static boolean verify(StunMessage message, byte[] key) {
        int offset = message.offsetOf(AttributeType.MESSAGE_INTEGRITY_SHA256);
        if (offset < 0) {
            return false;
        }
        MessageIntegritySha256 received = message.attribute(MessageIntegritySha256.class).orElseThrow();
        return IntegrityCodec.verifyHmac(IntegrityCodec.HMAC_SHA256, key, message.raw(), offset, received.hmac);
    }

    static MessageIntegritySha256 decode(StunReader r) throws StunDecodeException {
        r.requireLengthBetween(MIN_LENGTH, MAX_LENGTH);
        if (r.remaining() % 4 != 0) {
            throw r.error("got " + r.remaining() + " bytes, expected a multiple of 4");
        }
        return new MessageIntegritySha256(r.rest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageIntegritySha256 && Arrays.equals(hmac, ((MessageIntegritySha256) o).hmac);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hmac);
    }

    @Override
    public String toString() {
        return "MessageIntegritySha256[" + Bytes.hex(hmac) + "]";
    }
}
