package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** MESSAGE-INTEGRITY: HMAC-SHA1 over the message up to this attribute (RFC 8489 §14.5); verified with {@link #verify}. */
public record MessageIntegrity(byte[] hmac) implements StunAttribute {
    public static final int LENGTH = 20;

    public MessageIntegrity {
        if (hmac == null) {
            throw new IllegalArgumentException("MESSAGE_INTEGRITY value is required");
        }
        if (hmac.length != LENGTH) {
            throw new IllegalArgumentException("MESSAGE-INTEGRITY is 20 bytes, got " + hmac.length);
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
        return AttributeType.MESSAGE_INTEGRITY;
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
     * Whether the message's MESSAGE-INTEGRITY is the HMAC-SHA1 of its bytes under {@code key}, compared in constant
     * time; false when it has none (RFC 8489 §14.5, §9.1.3, §9.2.4).
     */
    public static boolean verify(StunMessage message, byte[] key) {
        int offset = message.offsetOf(AttributeType.MESSAGE_INTEGRITY);
        if (offset < 0) {
            return false;
        }
        MessageIntegrity received = message.attribute(MessageIntegrity.class).orElseThrow();
        return IntegrityCodec.verifyHmac(IntegrityCodec.HMAC_SHA1, key, message.raw(), offset, received.hmac);
    }

    static MessageIntegrity decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new MessageIntegrity(r.rest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageIntegrity && Arrays.equals(hmac, ((MessageIntegrity) o).hmac);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hmac);
    }

    @Override
    public String toString() {
        return "MessageIntegrity[" + Bytes.hex(hmac) + "]";
    }
}
