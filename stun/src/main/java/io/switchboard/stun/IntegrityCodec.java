package io.switchboard.stun;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC and CRC over a decoded message's bytes, with the length field adjusted as RFC 8489 §14.5-14.7 require. */
final class IntegrityCodec {
    static final String HMAC_SHA1 = "HmacSHA1";
    static final String HMAC_SHA256 = "HmacSHA256";

    private IntegrityCodec() {
    }

    static Mac newMac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }

    /**
     * Keys the MAC. An empty key is replaced by one zero byte: HMAC pads keys with zeros to the block size, so both
     * give the same MAC, and {@link SecretKeySpec} refuses empty keys.
     */
    static void init(Mac mac, byte[] key) {
        byte[] usable = key.length == 0 ? new byte[1] : key;
        try {
            mac.init(new SecretKeySpec(usable, mac.getAlgorithm()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC accepts any key", e);
        }
    }

    /**
     * The HMAC over {@code raw[0, attributeOffset)} with the header's length field replaced by the length the message
     * would have if it ended after this attribute.
     */
    static byte[] hmac(String algorithm, byte[] key, byte[] raw, int attributeOffset, int attributeValueLength) {
        Mac mac = newMac(algorithm);
        init(mac, key);
        int length = attributeOffset - StunMessage.HEADER_LENGTH + 4 + attributeValueLength;
        mac.update(raw, 0, 2);
        mac.update((byte) (length >>> 8));
        mac.update((byte) length);
        mac.update(raw, 4, attributeOffset - 4);
        return mac.doFinal();
    }

    /** CRC-32 XOR 0x5354554e over {@code raw[0, attributeOffset)}, the length field ending after FINGERPRINT. */
    static int fingerprint(byte[] raw, int attributeOffset) {
        CRC32 crc = new CRC32();
        int length = attributeOffset - StunMessage.HEADER_LENGTH + 4 + Fingerprint.LENGTH;
        crc.update(raw, 0, 2);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(raw, 4, attributeOffset - 4);
        return (int) crc.getValue() ^ Fingerprint.XOR;
    }

    /** Compares a received MAC with the expected one, truncated to the received length, in constant time. */
    static boolean matches(byte[] expected, byte[] received) {
        if (received.length > expected.length) {
            return false;
        }
        byte[] truncated = expected.length == received.length ? expected : java.util.Arrays.copyOf(expected, received.length);
        return MessageDigest.isEqual(truncated, received);
    }
}
