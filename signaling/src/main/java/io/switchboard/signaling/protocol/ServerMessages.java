package io.switchboard.signaling.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.switchboard.signaling.IceServer;
import io.switchboard.signaling.IceServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Encodes server-to-client messages of signaling protocol v1 as UTF-8 JSON, each written once and shared by every
 * transport. The encoded bytes never contain a line break, so the same bytes form one Server-Sent Events line.
 */
public final class ServerMessages {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final byte[] SIGNAL_PREFIX = "{\"type\":\"signal\",\"from\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGNAL_DATA = "\",\"data\":".getBytes(StandardCharsets.US_ASCII);

    private ServerMessages() {
    }

    /** One member of a room as listed in {@code joined.peers} and {@code peer-joined.peer}. */
    public record PeerView(String id, String name) {
    }

    /**
     * {@code {"type":"signal","from":from,"data":...}} with the data copied verbatim from {@code source[start, end)};
     * line breaks there can only be insignificant whitespace in valid JSON and become spaces.
     */
    public static byte[] signal(String from, byte[] source, int start, int end) {
        int fromLength = from.length();
        int dataLength = end - start;
        byte[] frame = new byte[SIGNAL_PREFIX.length + fromLength + SIGNAL_DATA.length + dataLength + 1];
        int at = 0;
        System.arraycopy(SIGNAL_PREFIX, 0, frame, at, SIGNAL_PREFIX.length);
        at += SIGNAL_PREFIX.length;
        for (int i = 0; i < fromLength; i++) {
            frame[at++] = (byte) from.charAt(i); // peer ids are ASCII [A-Za-z0-9_-]
        }
        System.arraycopy(SIGNAL_DATA, 0, frame, at, SIGNAL_DATA.length);
        at += SIGNAL_DATA.length;
        for (int i = start; i < end; i++) {
            byte b = source[i];
            frame[at++] = (b == '\n' || b == '\r') ? (byte) ' ' : b;
        }
        frame[at] = '}';
        return frame;
    }

    /**
     * {@code {"type":"joined","room":...,"id":...,"peers":[...],"iceServers":[...],"resume":...,"resumed":...,
     * "received":n}}, where {@code received} counts the signals the server accepted from this peer id.
     */
    public static byte[] joined(String room, String peerId, List<PeerView> peers, List<IceServer> iceServers,
                                String resumeToken, boolean resumed, long received) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "joined");
            g.writeStringField("room", room);
            g.writeStringField("id", peerId);
            g.writeArrayFieldStart("peers");
            for (PeerView peer : peers) {
                writePeer(g, peer);
            }
            g.writeEndArray();
            g.writeFieldName("iceServers");
            writeIceServerList(g, iceServers);
            g.writeStringField("resume", resumeToken);
            g.writeBooleanField("resumed", resumed);
            g.writeNumberField("received", received);
            g.writeEndObject();
        });
    }

    /** {@code {"type":"peer-joined","peer":{"id":...,"name":...}}}. */
    public static byte[] peerJoined(PeerView peer) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "peer-joined");
            g.writeFieldName("peer");
            writePeer(g, peer);
            g.writeEndObject();
        });
    }

    /** {@code {"type":"peer-left","id":...}}. */
    public static byte[] peerLeft(String peerId) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "peer-left");
            g.writeStringField("id", peerId);
            g.writeEndObject();
        });
    }

    /** {@code {"type":"pong"}} with the ping's id. */
    public static byte[] pong(Optional<String> requestId) {
        return simple("pong", requestId);
    }

    /** {@code {"type":"ack","id":...}}: a signal carrying an id was relayed. */
    public static byte[] ack(Optional<String> requestId) {
        return simple("ack", requestId);
    }

    /** {@code {"type":"left","room":...}} with the leave's id. */
    public static byte[] left(String room, Optional<String> requestId) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "left");
            g.writeStringField("room", room);
            writeRequestId(g, requestId);
            g.writeEndObject();
        });
    }

    /** {@code {"type":"error","code":...,"message":...}} with the failed message's id when known. */
    public static byte[] error(ErrorCode code, String message, Optional<String> requestId) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "error");
            g.writeStringField("code", code.code());
            g.writeStringField("message", message);
            writeRequestId(g, requestId);
            g.writeEndObject();
        });
    }

    /** {@code {"type":"error","code":"unknown-peer","message":...,"peer":...}} with the signal's id when given. */
    public static byte[] unknownPeer(String peerId, Optional<String> requestId) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "error");
            g.writeStringField("code", ErrorCode.UNKNOWN_PEER.code());
            g.writeStringField("message", "no peer with this id in the room");
            g.writeStringField("peer", peerId);
            writeRequestId(g, requestId);
            g.writeEndObject();
        });
    }

    /** HTTP fallback: {@code {"type":"session","session":...,"pingInterval":ms,"idleTimeout":ms}}, the first event. */
    public static byte[] session(String sessionId, long pingIntervalMillis, long idleTimeoutMillis) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "session");
            g.writeStringField("session", sessionId);
            g.writeNumberField("pingInterval", pingIntervalMillis);
            g.writeNumberField("idleTimeout", idleTimeoutMillis);
            g.writeEndObject();
        });
    }

    /** The body of {@code GET /api/ice-servers}: the TURN REST API fields plus {@code iceServers}. */
    public static byte[] iceServers(IceServers servers) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("username", servers.username());
            g.writeStringField("password", servers.password());
            g.writeNumberField("ttl", servers.ttl().toSeconds());
            g.writeArrayFieldStart("uris");
            for (String uri : servers.uris()) {
                g.writeString(uri);
            }
            g.writeEndArray();
            g.writeFieldName("iceServers");
            writeIceServerList(g, servers.iceServers());
            g.writeEndObject();
        });
    }

    private static void writeIceServerList(JsonGenerator g, List<IceServer> servers) throws IOException {
        g.writeStartArray();
        for (IceServer server : servers) {
            g.writeStartObject();
            g.writeArrayFieldStart("urls");
            for (String url : server.urls()) {
                g.writeString(url);
            }
            g.writeEndArray();
            if (server.username().isPresent()) {
                g.writeStringField("username", server.username().get());
            }
            if (server.credential().isPresent()) {
                g.writeStringField("credential", server.credential().get());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writePeer(JsonGenerator g, PeerView peer) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", peer.id());
        g.writeStringField("name", peer.name());
        g.writeEndObject();
    }

    private static byte[] simple(String type, Optional<String> requestId) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", type);
            writeRequestId(g, requestId);
            g.writeEndObject();
        });
    }

    private static void writeRequestId(JsonGenerator g, Optional<String> requestId) throws IOException {
        if (requestId.isPresent()) {
            g.writeFieldName("id");
            g.writeRawValue(requestId.get());
        }
    }

    private interface Body {
        void writeTo(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256)) {
            try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                body.writeTo(g);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
