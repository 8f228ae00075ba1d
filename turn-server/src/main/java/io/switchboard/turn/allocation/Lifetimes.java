package io.switchboard.turn.allocation;

import java.time.Duration;

/** The timers of RFC 8656: allocation (§3.2, §7.2), permission (§9), channel binding (§12) and reservation (§7.2). */
public final class Lifetimes {
    /** An allocation lives 10 minutes unless refreshed (RFC 8656 §3.2). */
    public static final Duration DEFAULT_ALLOCATION = Duration.ofMinutes(10);
    /** The longest lifetime a client may ask for (RFC 8656 §7.2: "a value of 3600 seconds is RECOMMENDED"). */
    public static final Duration MAX_ALLOCATION = Duration.ofHours(1);
    /** A permission lives 5 minutes and cannot be set otherwise (RFC 8656 §9). */
    public static final Duration PERMISSION = Duration.ofMinutes(5);
    /** A channel binding lives 10 minutes (RFC 8656 §12). */
    public static final Duration CHANNEL = Duration.ofMinutes(10);
    /**
     * After a binding expires, its number and peer stay reserved for 5 more minutes so that a late packet cannot reach
     * a newly bound peer (RFC 8656 §12: the client "MUST wait 5 minutes" before rebinding either).
     */
    public static final Duration CHANNEL_COOLDOWN = Duration.ofMinutes(5);
    /** How long the port reserved by EVEN-PORT's R bit waits for its RESERVATION-TOKEN (RFC 8656 §7.2: about 30 s). */
    public static final Duration RESERVATION = Duration.ofSeconds(30);

    private Lifetimes() {
    }

    /**
     * The lifetime of a new allocation (RFC 8656 §7.2 step 9): the requested one capped at the maximum, but never below
     * the default.
     */
    public static Duration forAllocate(long requestedSeconds) {
        long seconds = Math.min(requestedSeconds, MAX_ALLOCATION.toSeconds());
        return seconds > DEFAULT_ALLOCATION.toSeconds() ? Duration.ofSeconds(seconds) : DEFAULT_ALLOCATION;
    }

    /** The lifetime set by a Refresh (RFC 8656 §7.3): the requested one capped at the maximum; 0 deletes. */
    public static Duration forRefresh(long requestedSeconds) {
        return Duration.ofSeconds(Math.min(requestedSeconds, MAX_ALLOCATION.toSeconds()));
    }
}
