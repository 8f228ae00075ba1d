package io.switchboard.signaling.protocol;

/**
 * Every error code of signaling protocol v1, as sent in {@code {"type":"error","code":...}}.
 *
 * <p>Codes marked as abuse count towards the per-connection abuse limit; a connection that exceeds it is closed
 * with WebSocket close code 1008 (policy violation).
 */
public enum ErrorCode {
    /** Not JSON, not an object, a missing or wrong-typed field, a field too long, a binary frame. */
    BAD_MESSAGE("bad-message", true),
    /** The {@code type} is not one this server knows. */
    UNKNOWN_TYPE("unknown-type", true),
    /** The message is longer than the configured message size limit. */
    TOO_LARGE("too-large", true),
    /** The connection sent messages faster than its rate limit; the message was dropped. */
    RATE_LIMITED("rate-limited", true),
    /** A join without a valid access token while a signaling secret is configured. */
    UNAUTHORIZED("unauthorized", true),
    /** The room name is not 1-64 characters of [A-Za-z0-9_-]. */
    INVALID_ROOM("invalid-room", false),
    /** The room already holds its capacity of peers. */
    ROOM_FULL("room-full", false),
    /** A signal or leave before a successful join. */
    NOT_JOINED("not-joined", false),
    /** A join on a connection that already joined a room. */
    ALREADY_JOINED("already-joined", false),
    /** A signal to a peer that is not in the sender's room. */
    UNKNOWN_PEER("unknown-peer", false),
    /** A resume token that is unknown, expired, for another room, or whose backlog was lost. */
    RESUME_FAILED("resume-failed", false),
    /** Sent just before the server closes a connection for repeated abuse. */
    POLICY_VIOLATION("policy-violation", false),
    /** Sent to a connection just before it is closed because a resumed connection took over its peer. */
    SESSION_REPLACED("session-replaced", false),
    /** Sent to every connection just before the server shuts down. */
    SHUTTING_DOWN("shutting-down", false),
    /** A join while the server drains before it stops: connect again to reach another server. */
    DRAINING("draining", false),
    /** HTTP fallback only: the session id of a POST is unknown or its event stream has ended. */
    UNKNOWN_SESSION("unknown-session", false),
    /** The server failed unexpectedly while handling the message. */
    INTERNAL_ERROR("internal-error", false),
    /**
     * A clustered node cannot reach the cluster's Redis right now: the signal was not relayed (only peers connected to
     * the same node can be reached until Redis is back).
     */
    UNAVAILABLE("unavailable", false);

    private final String code;
    private final boolean abuse;

    ErrorCode(String code, boolean abuse) {
        this.code = code;
        this.abuse = abuse;
    }

    /** The kebab-case code as sent on the wire. */
    public String code() {
        return code;
    }

    /** Whether this error counts towards the abuse limit of the connection. */
    public boolean abuse() {
        return abuse;
    }
}
