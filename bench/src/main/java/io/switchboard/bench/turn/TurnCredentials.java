package io.switchboard.bench.turn;

/** The long-term credentials every load session authenticates with (RFC 8656 §9.2). */
public record TurnCredentials(String username, String password) {
    /** Parses {@code NAME:PASSWORD}. */
    public static TurnCredentials parse(String userColonPassword) {
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected NAME:PASSWORD, got " + userColonPassword);
        }
        return new TurnCredentials(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
    }
}
