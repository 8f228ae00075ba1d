package io.switchboard.turn.auth;

import io.switchboard.stun.OpaqueString;

import java.util.Objects;

/**
 * A static long-term credential (RFC 8489 §9.2) from {@code --user NAME:PASSWORD}. The name and password must survive
 * OpaqueString preparation (RFC 8265 §4.2), since both feed the integrity key; {@link #toString()} hides the password.
 */
public record LongTermUser(String name, String password) {
    public LongTermUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        if (name.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException("--user: name and password must not be empty (expected NAME:PASSWORD)");
        }
        try {
            OpaqueString.prepare(name);
            OpaqueString.prepare(password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--user: " + name + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code NAME:PASSWORD}; the password may itself contain ':'. */
    public static LongTermUser parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("--user: expected NAME:PASSWORD, got '"
                    + (text == null ? "" : colon > 0 ? text.substring(0, colon) + ":..." : text) + "'");
        }
        return new LongTermUser(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "LongTermUser[" + name + ":***]";
    }
}
