package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The signaling malformed-input policy: an error reply naming the problem, the connection open, 1008 on abuse. */
class MalformedInputTest {
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void badJsonGetsBadMessageAndTheConnectionStaysOpen() {
        server = TestServer.start();
        TestSocket socket = server.connect();
        socket.sendText("{\"type\":\"ping\",");
        JsonNode error = socket.next("error");
        assertThat(error.path("code").asText()).isEqualTo("bad-message");
        assertThat(error.path("message").asText()).startsWith("invalid JSON");
        socket.sendText("\"just a string\"");
        assertThat(socket.next("error").path("message").asText()).isEqualTo("a message must be a JSON object");
        socket.sync("still-open");
        assertThat(server.counter("switchboard.signaling.errors", "code", "bad-message")).isEqualTo(2.0);
    }

    @Test
    void missingAndWrongTypedFieldsAreNamed() {
        server = TestServer.start();
        TestSocket socket = server.connect();
        socket.sendText("{\"type\":\"join\",\"room\":42,\"id\":\"j1\"}");
        JsonNode error = socket.next("error");
        assertThat(error.path("code").asText()).isEqualTo("bad-message");
        assertThat(error.path("message").asText()).isEqualTo("field 'room' must be a string, got an integer");
        assertThat(error.path("id").asText()).isEqualTo("j1");
        socket.sendText("{\"type\":\"join\"}");
        assertThat(socket.next("error").path("message").asText()).isEqualTo("join: missing field 'room'");
        socket.sync("open");
    }

    @Test
    void unknownTypeGetsUnknownTypeAndTheConnectionStaysOpen() {
        server = TestServer.start();
        TestSocket socket = server.connect();
        socket.sendText("{\"type\":\"teleport\",\"id\":\"t\"}");
        JsonNode error = socket.next("error");
        assertThat(error.path("code").asText()).isEqualTo("unknown-type");
        assertThat(error.path("message").asText()).contains("teleport");
        assertThat(error.path("id").asText()).isEqualTo("t");
        socket.sync("open");
    }

    @Test
    void oversizedMessageGetsTooLargeAndTheConnectionStaysOpen() {
        server = TestServer.start(TestServer.config().maxMessageBytes(1024));
        TestSocket socket = server.connect();
        socket.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}");
        JsonNode error = socket.next("error");
        assertThat(error.path("code").asText()).isEqualTo("too-large");
        assertThat(error.path("message").asText()).contains("1024");
        socket.sync("open");
    }

    @Test
    void fragmentedMessagesAreReassembledAndMeasuredAsAWhole() {
        server = TestServer.start(TestServer.config().maxMessageBytes(1024));
        TestSocket socket = server.connect();
        byte[] ping = "{\"type\":\"ping\",\"id\":\"frag\"}".getBytes(StandardCharsets.UTF_8);
        socket.sendFrame(0x1, false, java.util.Arrays.copyOfRange(ping, 0, 10));
        socket.sendFrame(0x9, true, new byte[0]); // a control frame may come between fragments
        socket.sendFrame(0x0, true, java.util.Arrays.copyOfRange(ping, 10, ping.length));
        assertThat(socket.next("pong").path("id").asText()).isEqualTo("frag");

        byte[] part = ("\"" + "y".repeat(600)).getBytes(StandardCharsets.UTF_8);
        socket.sendFrame(0x1, false, "{\"type\":\"ping\",\"pad\":".getBytes(StandardCharsets.UTF_8));
        socket.sendFrame(0x0, false, part);
        socket.sendFrame(0x0, true, (new String(part, StandardCharsets.UTF_8).substring(1) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(socket.next("error").path("code").asText()).isEqualTo("too-large");
        socket.sync("open");
    }

    @Test
    void aFrameFarBeyondTheLimitClosesWithMessageTooBig() {
        server = TestServer.start(TestServer.config().maxMessageBytes(1024));
        TestSocket socket = server.connect();
        socket.sendText("x".repeat(10_000));
        assertThat(socket.awaitClose()).isEqualTo(1009);
    }

    @Test
    void binaryFramesGetAnErrorAndTheConnectionStaysOpen() {
        server = TestServer.start();
        TestSocket socket = server.connect();
        socket.sendBinary(new byte[] {1, 2, 3});
        JsonNode error = socket.next("error");
        assertThat(error.path("code").asText()).isEqualTo("bad-message");
        assertThat(error.path("message").asText()).contains("binary");
        socket.sync("open");
    }

    @Test
    void messagesAboveTheRateLimitAreRefusedAndTheConnectionStaysOpen() {
        server = TestServer.start(TestServer.config().messageRate(2).messageBurst(5).abuseLimit(1000));
        TestSocket socket = server.connect();
        for (int i = 0; i < 20; i++) {
            socket.sendText("{\"type\":\"ping\",\"id\":" + i + "}");
        }
        List<JsonNode> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(socket.next());
        }
        long pongs = replies.stream().filter(r -> r.path("type").asText().equals("pong")).count();
        List<JsonNode> refused = replies.stream().filter(r -> r.path("code").asText().equals("rate-limited")).toList();
        assertThat(pongs).isBetween(5L, 10L);
        assertThat(refused).hasSize(20 - (int) pongs);
        assertThat(refused.get(0).path("message").asText()).contains("2 messages per second");
        // the bucket refills: the same connection is served again
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            socket.sendText("{\"type\":\"ping\"}");
            return socket.next().path("type").asText().equals("pong");
        });
    }

    @Test
    void repeatedAbuseClosesWithPolicyViolation() {
        server = TestServer.start(TestServer.config().abuseLimit(5));
        TestSocket socket = server.connect();
        for (int i = 0; i < 6; i++) {
            socket.sendText("nonsense " + i);
        }
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            codes.add(socket.next("error").path("code").asText());
        }
        assertThat(codes).containsExactly("bad-message", "bad-message", "bad-message", "bad-message", "bad-message",
                "bad-message", "policy-violation");
        assertThat(socket.awaitClose()).isEqualTo(1008);
    }

    @Test
    void abusiveJoinedPeerLeavesAtOnce() {
        server = TestServer.start(TestServer.config().abuseLimit(2));
        TestServer.Member alice = server.join("abuse", "Alice");
        TestServer.Member mallory = server.join("abuse", "Mallory");
        alice.socket().next("peer-joined");
        for (int i = 0; i < 3; i++) {
            mallory.socket().sendText("{");
        }
        assertThat(mallory.socket().awaitClose()).isEqualTo(1008);
        assertThat(alice.socket().next("peer-left").path("id").asText()).isEqualTo(mallory.id());
    }

    @Test
    void invalidUtf8InATextFrameClosesTheConnection() {
        server = TestServer.start();
        TestSocket socket = server.connect();
        socket.sendFrame(0x1, true, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        assertThat(socket.awaitClose()).isEqualTo(1007);
    }
}
