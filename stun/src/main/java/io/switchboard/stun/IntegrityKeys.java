package io.switchboard.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The keys of MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256: short-term (RFC 8489 §9.1.1) and long-term
 * (§9.2.2) credentials. Realm and password are prepared with {@link OpaqueString}; the username is used as it appears
 * in USERNAME, where the client already prepared it.
 */
public final class IntegrityKeys {
    private IntegrityKeys() {
    }

    /** key = OpaqueString(password) (RFC 8489 §9.1.1). */
    public static byte[] shortTerm(String password) {
        return OpaqueString.prepare(password).getBytes(StandardCharsets.UTF_8);
    }

    /** key = MD5(username ":" OpaqueString(realm) ":" OpaqueString(password)) (RFC 8489 §9.2.2), 16 bytes. */
    public static byte[] longTermMd5(String username, String realm, String password) {
        return digest("MD5", longTermInput(username, realm, password));
    }

    /** key = SHA-256(username ":" OpaqueString(realm) ":" OpaqueString(password)) (RFC 8489 §9.2.2), 32 bytes. */
    public static byte[] longTermSha256(String username, String realm, String password) {
        return digest("SHA-256", longTermInput(username, realm, password));
    }

    /** The long-term key for the algorithm a PASSWORD-ALGORITHM names; MD5 when the client sent none. */
    public static byte[] longTerm(PasswordAlgorithm algorithm, String username, String realm, String password) {
        switch (algorithm.algorithm()) {
            case PasswordAlgorithm.MD5: return longTermMd5(username, realm, password);
            case PasswordAlgorithm.SHA256: return longTermSha256(username, realm, password);
            default: throw new IllegalArgumentException("unknown password algorithm " + algorithm);
        }
    }

    private static String longTermInput(String username, String realm, String password) {
        return username + ":" + OpaqueString.prepare(realm) + ":" + OpaqueString.prepare(password);
    }

    static byte[] sha256(String text) {
        return digest("SHA-256", text);
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }
}
