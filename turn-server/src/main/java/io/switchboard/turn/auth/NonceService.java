package io.switchboard.turn.auth;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces (RFC 8489 §9.2, §9.2.4): the issue time and an HMAC-SHA256 of it and the client's IP under a
 * per-process secret, so the server keeps no nonce table yet can tell a forged or foreign nonce from a stale one.
 *
 * <p>Every nonce starts with the RFC 8489 §9.2 nonce cookie {@code obMatJos2} and the security feature set with the
 * "Password algorithms" bit, announcing PASSWORD-ALGORITHMS support to RFC 8489 clients; older clients treat the nonce as
 * opaque. Layout: cookie (9) + features (4) + issue time (8 hex digits, unix seconds) + MAC (22 base64url characters).
 */
public final class NonceService {
    /** The nonce cookie and "Password algorithms" (bit 0 of the 24-bit feature set) as base64: 0x800000 is "gAAA". */
    public static final String PREFIX = "obMatJos2" + "gAAA";
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);

    private static final int TIME_LENGTH = 8;
    private static final int MAC_BYTES = 16;
    private static final int MAC_LENGTH = 22;
    private static final int LENGTH = PREFIX.length() + TIME_LENGTH + MAC_LENGTH;
    /** Nonces from a clock up to this far ahead are tolerated. */
    private static final long SKEW_SECONDS = 5;

    /** How a nonce fares. */
    public enum Validity { VALID, STALE }

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;
    private final ThreadLocal<Mac> macs;

    /** A service with a fresh random secret: nonces do not survive a restart, which only costs clients a 438. */
    public NonceService(Duration lifetime, Clock clock) {
        this(randomSecret(), lifetime, clock);
    }

    public NonceService(byte[] secret, Duration lifetime, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive, got " + lifetime);
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.lifetime = lifetime;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * The 32-byte key derived from {@code --nonce-secret}: every server given the same secret issues and accepts the
     * same nonces, so a client can move between the servers of a fleet without a 438.
     */
    public static byte[] sharedKey(String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("switchboard TURN nonce key\0".getBytes(StandardCharsets.US_ASCII));
            return sha.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A fresh nonce for this client IP. */
    public String issue(InetAddress client) {
        long now = clock.millis() / 1000;
        String time = hex8(now);
        return PREFIX + time + mac(time, client);
    }

    /** VALID when this server issued the nonce to this client IP within the lifetime; STALE otherwise (438). */
    public Validity check(String nonce, InetAddress client) {
        if (nonce.length() != LENGTH || !nonce.startsWith(PREFIX)) {
            return Validity.STALE;
        }
        String time = nonce.substring(PREFIX.length(), PREFIX.length() + TIME_LENGTH);
        String received = nonce.substring(PREFIX.length() + TIME_LENGTH);
        String expected = mac(time, client);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), received.getBytes(StandardCharsets.US_ASCII))) {
            return Validity.STALE;
        }
        long issued;
        try {
            issued = Long.parseLong(time, 16);
        } catch (NumberFormatException e) {
            return Validity.STALE;
        }
        long now = (clock.millis() / 1000) & 0xFFFF_FFFFL;
        long age = now - issued;
        return age >= -SKEW_SECONDS && age < lifetime.toSeconds() ? Validity.VALID : Validity.STALE;
    }

    /** The low 32 bits as 8 lower-case hex digits, as {@code String.format("%08x")} without its parser. */
    private static String hex8(long value) {
        char[] digits = new char[TIME_LENGTH];
        for (int i = TIME_LENGTH - 1; i >= 0; i--) {
            digits[i] = Character.forDigit((int) (value & 0xF), 16);
            value >>>= 4;
        }
        return new String(digits);
    }

    private String mac(String time, InetAddress client) {
        Mac mac = macs.get();
        mac.update(time.getBytes(StandardCharsets.US_ASCII));
        mac.update(client.getAddress());
        byte[] full = mac.doFinal();
        byte[] truncated = new byte[MAC_BYTES];
        System.arraycopy(full, 0, truncated, 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(truncated);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
