package io.switchboard.client.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What a {@link SignalingClient} reports to its {@link SignalingListener}. */
public sealed interface SignalingEvent {

    /**
     * The client is in the room: after the first join, after every reconnect ({@code resumed} true when the peer
     * kept its id, false when the resume failed and the client joined afresh with a new id).
     *
     * @param room       the room
     * @param id         this client's peer id
     * @param peers      the other members right now
     * @param iceServers the browser-form ICE servers ({@code RTCConfiguration.iceServers}) with fresh TURN credentials
     * @param resumed    whether this is the same peer after a reconnect
     */
    record Joined(String room, String id, List<PeerInfo> peers, JsonNode iceServers, boolean resumed)
            implements SignalingEvent {
    }

    /** {@code peer} entered the room. */
    record PeerJoined(PeerInfo peer) implements SignalingEvent {
    }

    /** The peer {@code id} left the room (or its grace period ran out). */
    record PeerLeft(String id) implements SignalingEvent {
    }

    /** A signal from peer {@code from}; {@code data} is exactly what that peer sent. */
    record Signal(String from, JsonNode data) implements SignalingEvent {
    }

    /** The server answered with an error (e.g. {@code unknown-peer}, {@code rate-limited}); the session goes on. */
    record Error(String code, String message) implements SignalingEvent {
    }

    /**
     * The connection dropped. When {@code reconnecting} the client is already trying to resume; otherwise it has
     * stopped for good (closed, or reconnecting was off or gave up).
     */
    record Disconnected(String reason, boolean reconnecting) implements SignalingEvent {
    }
}
