package io.switchboard.stun;

import java.security.GeneralSecurityException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC and CRC over a decoded message's bytes, with the length field adjusted as RFC 8489 §14.5-14.7 require. */
final class IntegrityCodec {
    static final String HMAC_SHA1 = "HmacSHA1";
    static final String HMAC_SHA256 = "HmacSHA256";

    private static final ThreadLocal<KeyedMac> SHA1 = ThreadLocal.withInitial(() -> new KeyedMac(HMAC_SHA1));
    private static final ThreadLocal<KeyedMac> SHA256 = ThreadLocal.withInitial(() -> new KeyedMac(HMAC_SHA256));
    private static final ThreadLocal<CRC32> CRC = ThreadLocal.withInitial(CRC32::new);

    private IntegrityCodec() {
    }

    /** This thread's MAC of the algorithm, kept so that no message pays for a provider lookup. */
    static KeyedMac keyedMac(String algorithm) {
        return HMAC_SHA256.equals(algorithm) ? SHA256.get() : SHA1.get();
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
     * Whether the HMAC over {@code raw[0, attributeOffset)}, with the header's length field replaced by the length the
     * message would have if it ended after this attribute, starts with {@code received}; compared in constant time.
     */
    static boolean verifyHmac(String algorithm, byte[] key, byte[] raw, int attributeOffset, byte[] received) {
        KeyedMac keyed = keyedMac(algorithm);
        Mac mac = keyed.keyed(key);
        int length = attributeOffset - StunMessage.HEADER_LENGTH + 4 + received.length;
        mac.update(raw, 0, 2);
        mac.update((byte) (length >>> 8));
        mac.update((byte) length);
        mac.update(raw, 4, attributeOffset - 4);
        return matches(keyed.finish(), received);
    }

    /** CRC-32 XOR 0x5354554e over {@code raw[0, attributeOffset)}, the length field ending after FINGERPRINT. */
    static int fingerprint(byte[] raw, int attributeOffset) {
        CRC32 crc = CRC.get();
        crc.reset();
        int length = attributeOffset - StunMessage.HEADER_LENGTH + 4 + Fingerprint.LENGTH;
        crc.update(raw, 0, 2);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(raw, 4, attributeOffset - 4);
        return (int) crc.getValue() ^ Fingerprint.XOR;
    }

    /** Compares a received MAC with the start of the expected one in constant time for a given length. */
    static boolean matches(byte[] expected, byte[] received) {
        if (received.length > expected.length) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < received.length; i++) {
            difference |= expected[i] ^ received[i];
        }
        return difference == 0;
    }
}
