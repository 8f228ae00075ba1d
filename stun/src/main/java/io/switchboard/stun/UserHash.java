package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** USERHASH: SHA-256 of the OpaqueString username and realm, for anonymous authentication (RFC 8489 §14.4). */
public record UserHash(byte[] hash) implements StunAttribute {
    public static final int LENGTH = 32;

    public UserHash {
        if (hash == null) {
            throw new IllegalArgumentException("USERHASH value is required");
        }
        if (hash.length != LENGTH) {
            throw new IllegalArgumentException("USERHASH is 32 bytes, got " + hash.length);
        }
        hash = hash.clone();
    }

    /** A copy of the value. */
    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** The value's length, without copying it. */
    public int length() {
        return hash.length;
    }

    @Override
    public int type() {
        return AttributeType.USERHASH;
    }

    @Override
    public int valueLength() {
        return hash.length;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put(hash);
    }

    /** SHA-256(OpaqueString(username) ":" OpaqueString(realm)) (RFC 8489 §14.4). */
    public static UserHash of(String username, String realm) {
        return new UserHash(IntegrityKeys.sha256(OpaqueString.prepare(username) + ":" + OpaqueString.prepare(realm)));
    }

    static UserHash decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new UserHash(r.rest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserHash && Arrays.equals(hash, ((UserHash) o).hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "UserHash[" + Bytes.hex(hash) + "]";
    }
}
