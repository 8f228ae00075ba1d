package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The 96-bit transaction id of RFC 8489 §5, or the 128-bit id of a classic RFC 3489 message (which has no magic
 * cookie: its id fills the cookie's place too).
 */
public final class TransactionId {
    public static final int LENGTH = 12;
    public static final int CLASSIC_LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private TransactionId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh random 96-bit id (RFC 8489 §6: cryptographically random). */
    public static TransactionId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new TransactionId(b);
    }

    /** An id of 12 bytes (RFC 5389 and later) or 16 bytes (classic RFC 3489). */
    public static TransactionId of(byte[] bytes) {
        if (bytes.length != LENGTH && bytes.length != CLASSIC_LENGTH) {
            throw new IllegalArgumentException("transaction id must be 12 or 16 bytes, got " + bytes.length);
        }
        return new TransactionId(bytes.clone());
    }

    static TransactionId wrap(byte[] bytes) {
        return new TransactionId(bytes);
    }

    /** Whether this is a 128-bit RFC 3489 id, sent without the magic cookie. */
    public boolean isClassic() {
        return bytes.length == CLASSIC_LENGTH;
    }

    public int length() {
        return bytes.length;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The 16 header bytes after the length field: the magic cookie and the 96-bit id, or the classic 128-bit id. */
    void writeHeaderTail(ByteBuffer out) {
        if (!isClassic()) {
            out.putInt(StunMessage.MAGIC_COOKIE);
        }
        out.put(bytes);
    }

    /** The 16 bytes XOR-ed over XOR-MAPPED-ADDRESS and friends: magic cookie then id (RFC 8489 §14.2). */
    byte xorKey(int index) {
        if (isClassic()) {
            return bytes[index];
        }
        if (index < 4) {
            return (byte) (StunMessage.MAGIC_COOKIE >>> (24 - 8 * index));
        }
        return bytes[index - 4];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId && Arrays.equals(bytes, ((TransactionId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return Bytes.hex(bytes);
    }
}
