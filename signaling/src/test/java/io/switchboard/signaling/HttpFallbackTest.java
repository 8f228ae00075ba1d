package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP fallback: Server-Sent Events for server messages, POST for client messages, bound by a session id. */
class HttpFallbackTest {
    private TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anSsePeerAndAWebSocketPeerExchangeSignalsBothWays() {
        server = TestServer.start();
        try (SseClient sse = new SseClient(server.uri("/"))) {
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.contentType).startsWith("text/event-stream");
            assertThat(sse.post("{\"type\":\"join\",\"room\":\"mixed\",\"name\":\"Http\"}")).isEqualTo(202);
            JsonNode joined = sse.next("joined");
            String sseId = joined.path("id").asText();

            TestServer.Member ws = server.join("mixed", "Socket");
            assertThat(RoomProtocolTest.ids(ws.joined().path("peers"))).containsExactly(sseId);
            assertThat(sse.next("peer-joined").path("peer").path("name").asText()).isEqualTo("Socket");

            ws.socket().sendText("{\"type\":\"signal\",\"to\":\"" + sseId + "\",\"data\":{\"sdp\":\"offer\\r\\nline2\"}}");
            JsonNode offer = sse.next("signal");
            assertThat(offer.path("from").asText()).isEqualTo(ws.id());
            assertThat(offer.path("data").path("sdp").asText()).isEqualTo("offer\r\nline2");

            assertThat(sse.post("{\"type\":\"signal\",\"to\":\"" + ws.id() + "\",\"data\":{\"sdp\":\"answer\"}}", false))
                    .isEqualTo(202);
            JsonNode answer = ws.socket().next("signal");
            assertThat(answer.path("from").asText()).isEqualTo(sseId);
            assertThat(answer.path("data").path("sdp").asText()).isEqualTo("answer");
            assertThat(server.gauge("switchboard.signaling.connections", "transport", "sse")).isEqualTo(1.0);
        }
    }

    @Test
    void theFirstEventNamesTheSessionAndTheTimers() {
        server = TestServer.start(TestServer.config().pingInterval(Duration.ofSeconds(7)).idleTimeout(Duration.ofSeconds(21)));
        try (SseClient sse = new SseClient(server.uri("/"))) {
            assertThat(sse.session()).matches("[A-Za-z0-9_-]{32}");
            assertThat(sse.sessionEvent.path("pingInterval").asLong()).isEqualTo(7000);
            assertThat(sse.sessionEvent.path("idleTimeout").asLong()).isEqualTo(21000);
        }
    }

    @Test
    void repliesAndErrorsToPostedMessagesComeOnTheStreamWithTheirIds() {
        server = TestServer.start();
        try (SseClient sse = new SseClient(server.uri("/"))) {
            assertThat(sse.post("{\"type\":\"ping\",\"id\":\"p\"}")).isEqualTo(202);
            assertThat(sse.next("pong").path("id").asText()).isEqualTo("p");
            assertThat(sse.post("{oops")).isEqualTo(202);
            assertThat(sse.next("error").path("code").asText()).isEqualTo("bad-message");
            assertThat(sse.post("{\"type\":\"fly\",\"id\":3}")).isEqualTo(202);
            JsonNode error = sse.next("error");
            assertThat(error.path("code").asText()).isEqualTo("unknown-type");
            assertThat(error.path("id").asInt()).isEqualTo(3);
        }
    }

    @Test
    void oversizedPostsGetTooLargeOnTheStreamOr413AboveTheHardLimit() {
        server = TestServer.start(TestServer.config().maxMessageBytes(1024));
        try (SseClient sse = new SseClient(server.uri("/"))) {
            assertThat(sse.post("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}")).isEqualTo(202);
            assertThat(sse.next("error").path("code").asText()).isEqualTo("too-large");
            RawHttp.Response huge = RawHttp.request(server.address(), "POST", "/api/signal?session=" + sse.session(),
                    Map.of("Content-Length", "5000", "Expect", "100-continue"));
            assertThat(huge.status()).isEqualTo(413);
            assertThat(sse.post("{\"type\":\"ping\",\"id\":\"alive\"}")).isEqualTo(202);
            assertThat(sse.next("pong").path("id").asText()).isEqualTo("alive");
        }
    }

    @Test
    void postsWithoutAKnownSessionAreRefused() throws Exception {
        server = TestServer.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(server.uri("/api/signal"))
                .header("Switchboard-Session", "nope").POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"ping\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestSocket.JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("unknown-session");
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(server.uri("/api/signal"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"ping\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(400);
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.uri("/api/signal")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void aDroppedStreamKeepsThePeerWhichCanResumeOverWebSocket() {
        server = TestServer.start();
        TestServer.Member ws = server.join("switch", "Socket");
        String sseId;
        String resume;
        try (SseClient sse = new SseClient(server.uri("/"))) {
            sse.post("{\"type\":\"join\",\"room\":\"switch\"}");
            JsonNode joined = sse.next("joined");
            sseId = joined.path("id").asText();
            resume = joined.path("resume").asText();
            ws.socket().next("peer-joined");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.gauge("switchboard.signaling.connections", "transport", "sse") == 0.0);
        ws.socket().sendText("{\"type\":\"signal\",\"to\":\"" + sseId + "\",\"data\":\"while away\"}");
        ws.socket().sync("queued");

        TestSocket back = server.connect();
        back.sendText("{\"type\":\"join\",\"room\":\"switch\",\"resume\":\"" + resume + "\"}");
        assertThat(back.next("joined").path("id").asText()).isEqualTo(sseId);
        assertThat(back.next("signal").path("data").asText()).isEqualTo("while away");
        assertThat(ws.socket().pending()).as("no peer-left").isEmpty();
    }

    @Test
    void aStreamWhoseClientStopsPostingEndsAfterTheIdleTimeout() {
        server = TestServer.start(TestServer.config().pingInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofMillis(400)));
        try (SseClient sse = new SseClient(server.uri("/"))) {
            sse.post("{\"type\":\"ping\"}");
            sse.next("pong");
            sse.awaitEnd();
            assertThat(sse.post("{\"type\":\"ping\"}")).isEqualTo(404);
        }
    }

    @Test
    void postingKeepsTheStreamAlive() throws InterruptedException {
        server = TestServer.start(TestServer.config().pingInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofSeconds(1)));
        try (SseClient sse = new SseClient(server.uri("/"))) {
            for (int i = 0; i < 15; i++) {
                assertThat(sse.post("{\"type\":\"ping\",\"id\":" + i + "}")).isEqualTo(202);
                assertThat(sse.next("pong").path("id").asInt()).isEqualTo(i);
                Thread.sleep(150);
            }
        }
    }
}
