package io.switchboard.turn.server;

import java.util.Locale;

/** Why a packet was dropped, the {@code reason} tag of {@code switchboard.turn.dropped}. */
public enum DropReason {
    /** Neither STUN nor ChannelData by its first bytes. */
    NOT_STUN,
    /** STUN or ChannelData that does not decode. */
    MALFORMED,
    /** A FINGERPRINT that does not match the message. */
    BAD_FINGERPRINT,
    /** A STUN response or an indication the server does not take. */
    UNEXPECTED,
    /** Data or ChannelData from a client without an allocation on its five-tuple. */
    NO_ALLOCATION,
    /** ChannelData on a channel that is not bound. */
    NO_CHANNEL,
    /** Data to or from a peer without a permission. */
    NO_PERMISSION,
    /** A peer address the peer policy refuses. */
    FORBIDDEN_PEER,
    /** A peer address of a family the allocation has no relay for. */
    WRONG_FAMILY,
    /** Over the allocation's bandwidth quota. */
    BANDWIDTH,
    /** A 401 that the per-source rate limit held back. */
    RATE_LIMITED,
    /** A datagram that filled the receive buffer and may have been cut. */
    OVERSIZE,
    /** A TCP or TLS stream that stopped framing as STUN or ChannelData; the connection is closed. */
    STREAM_GARBAGE,
    /** A relay socket write that failed. */
    SEND_FAILED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
