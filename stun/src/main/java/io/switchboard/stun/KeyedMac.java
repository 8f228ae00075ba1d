package io.switchboard.stun;

import java.security.MessageDigest;
import javax.crypto.Mac;

/** One HMAC instance that keeps its key between messages and is re-keyed only when the key changes (RFC 8489 §14.5). */
final class KeyedMac {
    private final Mac mac;
    private final byte[] output;
    private byte[] key;

    KeyedMac(String algorithm) {
        this.mac = IntegrityCodec.newMac(algorithm);
        this.output = new byte[mac.getMacLength()];
    }

    /** The MAC keyed with {@code key} and reset, ready for updates. */
    Mac keyed(byte[] key) {
        if (this.key == null || this.key.length != key.length || !MessageDigest.isEqual(this.key, key)) {
            IntegrityCodec.init(mac, key);
            this.key = key.clone();
        } else {
            mac.reset();
        }
        return mac;
    }

    /** Finishes the MAC into a reused array, valid until the next call on this thread. */
    byte[] finish() {
        try {
            mac.doFinal(output, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException("the output array holds a whole MAC", e);
        }
        return output;
    }
}
