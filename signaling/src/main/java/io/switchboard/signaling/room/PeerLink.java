package io.switchboard.signaling.room;

import io.switchboard.signaling.protocol.ErrorCode;

/** The connection a peer is currently reached through (a WebSocket or a Server-Sent Events stream). */
public interface PeerLink {

    /** Queues one encoded server message; thread-safe, and frames are written in the order of the calls. */
    void send(byte[] frame);

    /** Sends an error with {@code code} and {@code message}, then closes the connection; thread-safe. */
    void close(ErrorCode code, String message);

    /**
     * Closes the connection after everything queued, without an error message, so that the client connects again
     * (WebSocket close code 1013, Try Again Later); thread-safe.
     */
    default void retryLater(String message) {
        close(ErrorCode.UNAVAILABLE, message);
    }
}
