package io.switchboard.turn;

import io.switchboard.turn.auth.RestCredentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Ephemeral TURN credentials of the TURN REST API (draft-uberti-behave-turn-rest-00 §2.2): username
 * {@code <expiry unix seconds>:<user>}, password base64(HMAC-SHA1(secret, username)). The TURN server accepts them
 * until the expiry for any of its {@code --auth-secret}s; {@link #toString()} hides the password.
 */
public record TurnRestCredentials(String username, String password, Duration ttl, Instant expiresAt) {
    public TurnRestCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Credentials for {@code user} valid for {@code ttl} from the clock's now.
     *
     * @param user may be empty (the username is then just the expiry); must not contain ':'
     */
    public static TurnRestCredentials issue(String secret, String user, Duration ttl, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            throw new InvalidOptionException("--secret", "must not be empty");
        }
        Objects.requireNonNull(user, "user");
        if (user.indexOf(RestCredentials.SEPARATOR) >= 0) {
            throw new InvalidOptionException("--user", "must not contain ':', got '" + user + "'");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidOptionException("--ttl", "must be a positive number of seconds, got " + ttl.toSeconds());
        }
        Instant expiresAt = clock.instant().plusSeconds(ttl.toSeconds());
        String username = RestCredentials.username(expiresAt.getEpochSecond(), user);
        return new TurnRestCredentials(username, RestCredentials.password(secret, username), ttl, expiresAt);
    }

    @Override
    public String toString() {
        return "TurnRestCredentials[username=" + username + ", password=***, ttl=" + ttl.toSeconds() + "s]";
    }
}
