package io.switchboard.bench.signaling;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** What differs between the signaling servers under test: the WebSocket URL, the greeting and the message shapes. */
public sealed interface SignalingProtocol permits SignalingProtocol.Switchboard, SignalingProtocol.PeerJs {

    /** The request path and query of the WebSocket of client {@code self}. */
    String path(String self);

    /** The first text frame to send once the WebSocket is open, or the empty string. */
    String greeting(String room);

    /** Applies a control message; returns true when the client now knows its own id and its partner's. */
    boolean onControl(WsClient client, JsonNode message);

    /** A message to {@code partner} whose payload is {@code payload} (a JSON object). */
    String message(String partner, String payload);

    static SignalingProtocol named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "switchboard":
                return new Switchboard();
            case "peerjs":
                return new PeerJs();
            default:
                throw new IllegalArgumentException("unknown protocol " + name + " (expected switchboard or peerjs)");
        }
    }

    /** Switchboard signaling protocol v1: join a room, learn ids from joined/peer-joined, relay with signal. */
    final class Switchboard implements SignalingProtocol {
        @Override
        public String path(String self) {
            return "/ws";
        }

        @Override
        public String greeting(String room) {
            return "{\"type\":\"join\",\"room\":\"" + room + "\"}";
        }

        @Override
        public boolean onControl(WsClient client, JsonNode message) {
            String type = message.path("type").asText();
            if (type.equals("joined")) {
                client.self(message.path("id").asText());
                JsonNode peers = message.path("peers");
                if (peers.size() > 0) {
                    client.partner(peers.get(0).path("id").asText());
                }
            } else if (type.equals("peer-joined")) {
                client.partner(message.path("peer").path("id").asText());
            } else if (type.equals("error")) {
                client.error(message.path("code").asText() + ": " + message.path("message").asText());
            }
            return client.knowsPartner();
        }

        @Override
        public String message(String partner, String payload) {
            return "{\"type\":\"signal\",\"to\":\"" + partner + "\",\"data\":" + payload + "}";
        }
    }

    /** PeerJS server: ids are chosen by the client and given in the URL; OPEN says welcome; OFFER carries dst. */
    final class PeerJs implements SignalingProtocol {
        @Override
        public String path(String self) {
            return "/peerjs?id=" + self + "&token=t" + self + "&key=peerjs";
        }

        @Override
        public String greeting(String room) {
            return "";
        }

        @Override
        public boolean onControl(WsClient client, JsonNode message) {
            String type = message.path("type").asText();
            if (type.equals("ERROR") || type.equals("ID-TAKEN")) {
                client.error(type + ": " + message.path("payload").path("msg").asText());
                return false;
            }
            return type.equals("OPEN");
        }

        @Override
        public String message(String partner, String payload) {
            return "{\"type\":\"OFFER\",\"dst\":\"" + partner + "\",\"payload\":" + payload + "}";
        }
    }
}
