package io.switchboard.signaling.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.signaling.attack.AttackServer.Member;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a hostile signaling client tries, each answered as protocol v1 and docs/SECURITY.md promise: a forged sender, a
 * stolen or guessed resume token, oversized, deeply nested and non-UTF-8 messages, binary frames, and a flood of joins
 * from one connection. Honest clients in the same rooms keep being served throughout.
 */
class SignalingAbuseAttackTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private AttackServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSpoofedFromIsReplacedByTheRealSender() throws Exception {
        server = new AttackServer(b -> b);
        try (Member alice = server.join("spoof", "alice"); Member bob = server.join("spoof", "bob");
             Member carol = server.join("spoof", "carol")) {
            alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + bob.id() + "\",\"from\":\"" + carol.id()
                    + "\",\"data\":{\"from\":\"" + carol.id() + "\"}}");
            JsonNode received = bob.socket().next("signal");
            assertThat(received.path("from").asText()).isEqualTo(alice.id());
            assertThat(received.path("data").path("from").asText()).as("data is the sender's, verbatim").isEqualTo(carol.id());
            alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + bob.id() + "\",\"from\":\"x\",\"from\":\"y\",\"data\":1}");
            assertThat(alice.socket().next("error").path("code").asText()).isEqualTo("bad-message");
        }
    }

    @Test
    void anotherPeersResumeTokenCannotBeGuessedForgedOrReusedAcrossRooms() throws Exception {
        server = new AttackServer(b -> b);
        try (Member victim = server.join("resume", "victim"); Member friend = server.join("resume", "friend")) {
            String token = victim.resume();
            String flipped = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
            List<String> forgeries = List.of(victim.id(), victim.id() + ".", victim.id() + ".AAAAAAAAAAAAAAAAAAAAAA",
                    flipped, token.toUpperCase(), token + "x", token.substring(0, token.length() - 1), "." + token, "");
            try (RawWebSocket attacker = RawWebSocket.connect(server.address())) {
                for (String forged : forgeries) {
                    attacker.sendText("{\"type\":\"join\",\"room\":\"resume\",\"resume\":\"" + forged + "\"}");
                    JsonNode answer = attacker.next("error");
                    assertThat(answer.path("code").asText()).as(forged).isIn("resume-failed", "bad-message");
                }
                attacker.sendText("{\"type\":\"join\",\"room\":\"elsewhere\",\"resume\":\"" + token + "\"}");
                assertThat(attacker.next("error").path("code").asText()).isEqualTo("resume-failed");
            }
            friend.socket().sendText("{\"type\":\"signal\",\"to\":\"" + victim.id() + "\",\"data\":\"still yours\"}");
            assertThat(victim.socket().next("signal").path("data").asText()).isEqualTo("still yours");
        }
    }

    @Test
    void theResumeTokenOfAPeerThatLeftCannotBeReused() throws Exception {
        server = new AttackServer(b -> b);
        Member victim = server.join("left", "victim");
        String token = victim.resume();
        victim.socket().sendText("{\"type\":\"leave\"}");
        victim.socket().next("left");
        victim.close();
        try (RawWebSocket attacker = RawWebSocket.connect(server.address())) {
            attacker.sendText("{\"type\":\"join\",\"room\":\"left\",\"resume\":\"" + token + "\"}");
            assertThat(attacker.next("error").path("code").asText()).isEqualTo("resume-failed");
        }
    }

    @Test
    void anOversizedMessageIsRefusedAndTheConnectionStaysUsable() throws Exception {
        server = new AttackServer(b -> b.maxMessageBytes(4096));
        try (RawWebSocket attacker = RawWebSocket.connect(server.address())) {
            attacker.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(5000) + "\"}");
            assertThat(attacker.next("error").path("code").asText()).isEqualTo("too-large");
            attacker.sendText("{\"type\":\"ping\",\"id\":\"after\"}");
            assertThat(attacker.next("pong").path("id").asText()).isEqualTo("after");
        }
    }

    @Test
    void aFrameAnnouncingAHugePayloadClosesTheConnectionBeforeAnythingIsBuffered() throws Exception {
        server = new AttackServer(b -> b.maxMessageBytes(4096));
        try (RawWebSocket attacker = RawWebSocket.connect(server.address())) {
            // Header only: a masked text frame claiming 1 GiB, then nothing.
            byte[] header = {(byte) 0x81, (byte) 0xFF, 0, 0, 0, 0, 0x40, 0, 0, 0, 1, 2, 3, 4};
            attacker.socket().getOutputStream().write(header);
            assertThat(attacker.awaitClose(WAIT)).isIn(1009, -1);
        }
    }

    @Test
    void deeplyNestedJsonIsRefusedAsBadMessageAndTheConnectionStaysUsable() throws Exception {
        server = new AttackServer(b -> b);
        try (Member alice = server.join("nest", "alice"); Member bob = server.join("nest", "bob")) {
            String deep = "[".repeat(30_000) + "]".repeat(30_000);
            alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + bob.id() + "\",\"data\":" + deep + "}");
            assertThat(alice.socket().next("error").path("code").asText()).isEqualTo("bad-message");
            String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
            alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + bob.id() + "\",\"data\":" + objects + "}");
            assertThat(alice.socket().next("error").path("code").asText()).isEqualTo("bad-message");
            String fine = "[".repeat(20) + "]".repeat(20);
            alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + bob.id() + "\",\"data\":" + fine + "}");
            assertThat(bob.socket().next("signal").path("data").toString()).isEqualTo(fine);
        }
    }

    @Test
    void invalidUtf8ClosesAWebSocketWith1007AndGetsAnErrorOverTheHttpFallback() throws Exception {
        server = new AttackServer(b -> b);
        try (RawWebSocket attacker = RawWebSocket.connect(server.address())) {
            attacker.send(1, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, true);
            assertThat(attacker.awaitClose(WAIT)).isEqualTo(1007);
        }
        String session = SseProbe.openSession(server.address());
        int status = SseProbe.post(server.address(), session, new byte[] {'{', (byte) 0xFF, (byte) 0xFE, '}'});
        assertThat(status).isEqualTo(202);
        await().atMost(WAIT).until(() -> server.errors("bad-message") >= 1);
    }

    @Test
    void aBinaryFrameGetsAnErrorAndTheConnectionStaysOpen() throws Exception {
        server = new AttackServer(b -> b);
        try (RawWebSocket attacker = RawWebSocket.connect(server.address())) {
            attacker.send(2, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), true);
            assertThat(attacker.next("error").path("code").asText()).isEqualTo("bad-message");
            attacker.sendText("{\"type\":\"ping\",\"id\":\"still open\"}");
            assertThat(attacker.next("pong").path("id").asText()).isEqualTo("still open");
        }
    }

    @Test
    void tenThousandJoinsFromOneConnectionAreRateLimitedCutOffWith1008AndLeaveNoRoomBehind() throws Exception {
        server = new AttackServer(b -> b);
        try (Member honest = server.join("honest", "honest"); Member other = server.join("honest", "other");
             RawWebSocket attacker = RawWebSocket.connect(server.address())) {
            Thread flood = new Thread(() -> {
                try {
                    for (int i = 0; i < 10_000; i++) {
                        attacker.sendText("{\"type\":\"join\",\"room\":\"flood-" + i + "\"}");
                    }
                } catch (IOException closedByTheServer) {
                    // the server cut the connection off mid-flood: what is expected
                }
            }, "join-flood");
            flood.start();
            assertThat(attacker.awaitClose(Duration.ofSeconds(30))).isIn(1008, -1);
            flood.join();
            assertThat(server.errors("rate-limited")).isPositive();
            assertThat(server.errors("policy-violation")).isEqualTo(1);
            await().atMost(WAIT).until(() -> server.gauge("switchboard.signaling.rooms") == 1.0);
            honest.socket().sendText("{\"type\":\"signal\",\"to\":\"" + other.id() + "\",\"data\":\"served\"}");
            assertThat(other.socket().next("signal").path("data").asText()).isEqualTo("served");
        }
    }

    @Test
    void tenThousandJoinLeaveCyclesFromOneConnectionNeverHoldMoreThanOneRoom() throws Exception {
        server = new AttackServer(b -> b.messageRate(1_000_000).messageBurst(1_000_000));
        try (RawWebSocket attacker = RawWebSocket.connect(server.address())) {
            for (int i = 0; i < 10_000; i++) {
                attacker.sendText("{\"type\":\"join\",\"room\":\"cycle-" + i + "\"}");
                attacker.sendText("{\"type\":\"leave\"}");
                if (i % 500 == 0) {
                    assertThat(server.gauge("switchboard.signaling.rooms")).isLessThanOrEqualTo(1.0);
                }
            }
            attacker.sendText("{\"type\":\"ping\",\"id\":\"end\"}");
            long joined = 0;
            while (true) {
                RawWebSocket.Frame frame = attacker.next(WAIT);
                assertThat(frame).as("all answers arrive").isNotNull();
                JsonNode message = RawWebSocket.JSON.readTree(frame.text());
                if (message.path("type").asText().equals("joined")) {
                    joined++;
                } else if (message.path("type").asText().equals("pong")) {
                    break;
                }
            }
            assertThat(joined).isEqualTo(10_000);
            assertThat(server.gauge("switchboard.signaling.rooms")).isZero();
        }
    }

    @Test
    void aMalformedPercentEscapeInThePathGets400InsteadOfADroppedConnection() throws Exception {
        // Fuzzer finding HttpPipelineFuzzTestInputs/connection/malformed-percent-escape-in-path: the URI decoder threw
        // and the connection was closed without an answer.
        server = new AttackServer(b -> b);
        assertThat(rawHttp("GET /%- HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(rawHttp("GET /api/ice-servers?user=%zz HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    @Test
    void aWebSocketUpgradeWithoutConnectionUpgradeGets400InsteadOfADroppedConnection() throws Exception {
        // Fuzzer finding HttpPipelineFuzzTestInputs/connection/websocket-upgrade-without-connection-upgrade.
        server = new AttackServer(b -> b);
        assertThat(rawHttp("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(rawHttp("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    /** Sends one raw request and returns the status line of the answer. */
    private String rawHttp(String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String status = reader.readLine();
            return status == null ? "(closed without an answer)" : status;
        }
    }

    /** The HTTP fallback, just enough of it: open an event stream for its session id, post a message. */
    static final class SseProbe {
        private SseProbe() {
        }

        static String openSession(java.net.InetSocketAddress server) throws IOException {
            java.net.Socket socket = new java.net.Socket(server.getAddress(), server.getPort());
            socket.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), StandardCharsets.UTF_8));
            socket.setSoTimeout(10_000);
            for (String line; (line = reader.readLine()) != null; ) {
                int at = line.indexOf("\"session\":\"");
                if (at >= 0) {
                    return line.substring(at + 11, line.indexOf('"', at + 11));
                }
            }
            throw new IOException("no session event");
        }

        static int post(java.net.InetSocketAddress server, String session, byte[] body) throws IOException {
            HttpURLConnection http = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.getPort()
                    + "/api/signal?session=" + session).toURL().openConnection();
            http.setRequestMethod("POST");
            http.setDoOutput(true);
            try (OutputStream out = http.getOutputStream()) {
                out.write(body);
            }
            return http.getResponseCode();
        }
    }
}
