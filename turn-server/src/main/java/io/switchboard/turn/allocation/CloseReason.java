package io.switchboard.turn.allocation;

/** Why an allocation ended, as logged and counted. */
public enum CloseReason {
    /** Its lifetime ran out without a Refresh (RFC 8656 §3.2). */
    EXPIRED,
    /** The client sent a Refresh with LIFETIME 0 (RFC 8656 §7.3). */
    DELETED,
    /** The TCP or TLS connection of its five-tuple closed (RFC 8656 §3.1). */
    CONNECTION_CLOSED,
    /** Its relay socket could not be bound or failed. */
    FAILED,
    /** The server shut down. */
    SHUTDOWN;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
