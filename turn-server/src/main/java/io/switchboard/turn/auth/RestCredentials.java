package io.switchboard.turn.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The password rule of the TURN REST API (draft-uberti-behave-turn-rest-00 §2.2): password =
 * base64(HMAC-SHA1(shared secret, username)), where the username is {@code <expiry unix seconds>[:<user>]}.
 */
public final class RestCredentials {
    /** The separator between expiry and user in a REST username (coturn's default, {@code -C}). */
    public static final char SEPARATOR = ':';

    private RestCredentials() {
    }

    /** base64(HMAC-SHA1(secret, username)). */
    public static String password(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }

    /** The username for a user whose credentials expire at {@code expiryEpochSeconds}. */
    public static String username(long expiryEpochSeconds, String user) {
        return user.isEmpty() ? Long.toString(expiryEpochSeconds) : expiryEpochSeconds + String.valueOf(SEPARATOR) + user;
    }

    /** The expiry of a REST username, or -1 when it is not one (digits, optionally followed by ':' and a user). */
    public static long expiry(String username) {
        int end = username.indexOf(SEPARATOR);
        String digits = end < 0 ? username : username.substring(0, end);
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    /** The user part of a REST username ("" when there is none). */
    public static String user(String username) {
        int end = username.indexOf(SEPARATOR);
        return end < 0 ? "" : username.substring(end + 1);
    }
}
