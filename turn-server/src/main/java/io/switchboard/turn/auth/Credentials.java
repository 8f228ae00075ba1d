package io.switchboard.turn.auth;

import io.switchboard.stun.UserHash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who may use the TURN server: the realm, static long-term users (RFC 8489 §9.2) and TURN REST API shared secrets
 * (draft-uberti-behave-turn-rest), several at once so that one can be rotated. Immutable; the server swaps a new one on
 * reload. Secrets and passwords never appear in {@link #toString()}.
 */
public final class Credentials {
    /** What a username resolves to. */
    public sealed interface Lookup permits Found, Unknown, Expired {
    }

    /**
     * A known user: the passwords that may have keyed the request (one for a static user, one per secret for a REST
     * user) and the name quotas count it under.
     */
    public record Found(List<String> passwords, String quotaKey) implements Lookup {
    }

    public record Unknown() implements Lookup {
    }

    /** A REST username whose expiry timestamp has passed (401, draft-uberti-behave-turn-rest §2.2). */
    public record Expired(long expiry) implements Lookup {
    }

    private static final HexFormat HEX = HexFormat.of();

    private final String realm;
    private final Map<String, String> users;
    private final List<String> restSecrets;
    private final Map<String, String> usernameByHash;

    public Credentials(String realm, List<LongTermUser> users, List<String> restSecrets) {
        Objects.requireNonNull(realm, "realm");
        if (realm.isEmpty()) {
            throw new IllegalArgumentException("--realm: must not be empty");
        }
        Map<String, String> byName = new LinkedHashMap<>();
        Map<String, String> byHash = new LinkedHashMap<>();
        for (LongTermUser user : users) {
            if (byName.put(user.name(), user.password()) != null) {
                throw new IllegalArgumentException("--user: " + user.name() + " is given twice");
            }
            byHash.put(HEX.formatHex(UserHash.of(user.name(), realm).hash()), user.name());
        }
        for (String secret : restSecrets) {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("--auth-secret: must not be empty");
            }
        }
        this.realm = realm;
        this.users = Map.copyOf(byName);
        this.restSecrets = List.copyOf(restSecrets);
        this.usernameByHash = Map.copyOf(byHash);
    }

    public String realm() {
        return realm;
    }

    public List<String> userNames() {
        return List.copyOf(users.keySet());
    }

    public int restSecretCount() {
        return restSecrets.size();
    }

    /** Resolves a USERNAME at the given time: static users first, then the TURN REST form if secrets are configured. */
    public Lookup lookup(String username, long nowEpochSeconds) {
        String password = users.get(username);
        if (password != null) {
            return new Found(List.of(password), "user:" + username);
        }
        if (restSecrets.isEmpty()) {
            return new Unknown();
        }
        long expiry = RestCredentials.expiry(username);
        if (expiry < 0) {
            return new Unknown();
        }
        if (expiry < nowEpochSeconds) {
            return new Expired(expiry);
        }
        List<String> passwords = new ArrayList<>(restSecrets.size());
        for (String secret : restSecrets) {
            passwords.add(RestCredentials.password(secret, username));
        }
        return new Found(passwords, "rest:" + RestCredentials.user(username));
    }

    /** The static user whose USERHASH (RFC 8489 §14.4) this is, or null; REST usernames cannot be recovered from a hash. */
    public String usernameForHash(byte[] userHash) {
        return usernameByHash.get(HEX.formatHex(userHash));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials && realm.equals(((Credentials) o).realm) && users.equals(((Credentials) o).users)
                && restSecrets.equals(((Credentials) o).restSecrets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(realm, users, restSecrets);
    }

    @Override
    public String toString() {
        return "Credentials[realm=" + realm + ", users=" + Arrays.toString(users.keySet().toArray())
                + ", restSecrets=" + restSecrets.size() + "]";
    }
}
