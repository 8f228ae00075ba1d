package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.signaling.http.HttpRoutes;
import io.switchboard.signaling.http.RouteResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /api/ice-servers, static files of the web client, WebJars, extra routes and the origin check. */
class HttpEndpointsTest {
    private final AtomicReference<Optional<String>> askedUser = new AtomicReference<>();
    private TestServer server;

    private IceServers iceServers(Optional<String> user) {
        askedUser.set(user);
        String username = "1700000000:" + user.orElse("anonymous");
        return new IceServers(username, "c2VjcmV0", Duration.ofSeconds(86400),
                List.of("stun:127.0.0.1:3478", "turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"),
                List.of(IceServer.stun(List.of("stun:127.0.0.1:3478")),
                        IceServer.turn(List.of("turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"),
                                username, "c2VjcmV0")));
    }

    @BeforeEach
    void start() {
        HttpRoutes routes = HttpRoutes.builder()
                .get("/healthz", request -> RouteResponse.json(200, "{\"status\":\"ok\"}"))
                .post("/echo", request -> RouteResponse.text(200, request.queryParameter("q").orElse("") + ":"
                        + new String(request.body(), java.nio.charset.StandardCharsets.UTF_8)))
                .build();
        server = TestServer.start(TestServer.config().allowedOrigins(List.of("https://good.example")), this::iceServers, routes);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void iceServersRendersTheProvidersDataInTheDocumentedShape() throws Exception {
        RawHttp.Response response = RawHttp.get(server.address(), "/api/ice-servers?user=alice");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("application/json");
        assertThat(response.header("cache-control")).isEqualTo("no-store");
        assertThat(askedUser.get()).contains("alice");
        JsonNode body = TestSocket.JSON.readTree(response.body());
        assertThat(body).isEqualTo(TestSocket.JSON.readTree("{\"username\":\"1700000000:alice\",\"password\":\"c2VjcmV0\","
                + "\"ttl\":86400,\"uris\":[\"stun:127.0.0.1:3478\",\"turn:127.0.0.1:3478?transport=udp\","
                + "\"turn:127.0.0.1:3478?transport=tcp\"],\"iceServers\":[{\"urls\":[\"stun:127.0.0.1:3478\"]},"
                + "{\"urls\":[\"turn:127.0.0.1:3478?transport=udp\",\"turn:127.0.0.1:3478?transport=tcp\"],"
                + "\"username\":\"1700000000:alice\",\"credential\":\"c2VjcmV0\"}]}"));
        RawHttp.Response anonymous = RawHttp.get(server.address(), "/api/ice-servers");
        assertThat(askedUser.get()).isEmpty();
        assertThat(TestSocket.JSON.readTree(anonymous.body()).path("username").asText()).isEqualTo("1700000000:anonymous");
    }

    @Test
    void joinedCarriesTheSameIceServersListForThePeer() {
        TestServer.Member alice = server.join("ice", "Alice");
        assertThat(askedUser.get()).contains(alice.id());
        JsonNode list = alice.joined().path("iceServers");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("urls").get(0).asText()).isEqualTo("stun:127.0.0.1:3478");
        assertThat(list.get(0).has("username")).isFalse();
        assertThat(list.get(1).path("username").asText()).isEqualTo("1700000000:" + alice.id());
        assertThat(list.get(1).path("credential").asText()).isEqualTo("c2VjcmV0");
    }

    @Test
    void iceServersRefusesAnInvalidUser() {
        RawHttp.Response response = RawHttp.get(server.address(), "/api/ice-servers?user=a:b");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("bad-message");
    }

    @Test
    void servesIndexHtmlForTheRootWithValidators() {
        RawHttp.Response root = RawHttp.get(server.address(), "/");
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(root.body()).contains("test index page");
        assertThat(root.header("etag")).matches("\"[0-9a-f]{32}\"");
        assertThat(root.header("last-modified")).endsWith("GMT");
        assertThat(root.header("cache-control")).isEqualTo("no-cache");
        assertThat(root.header("x-content-type-options")).isEqualTo("nosniff");

        RawHttp.Response again = RawHttp.request(server.address(), "GET", "/index.html", Map.of("If-None-Match", root.header("etag")));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        RawHttp.Response since = RawHttp.request(server.address(), "GET", "/", Map.of("If-Modified-Since", root.header("last-modified")));
        assertThat(since.status()).isEqualTo(304);
    }

    @Test
    void servesStaticFilesWithTheRightContentType() {
        RawHttp.Response js = RawHttp.get(server.address(), "/js/app.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(js.body()).contains("answer = 42");
        assertThat(RawHttp.get(server.address(), "/css/site.css").header("content-type")).isEqualTo("text/css; charset=utf-8");
        RawHttp.Response head = RawHttp.request(server.address(), "HEAD", "/js/app.js", Map.of());
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("content-length")).isEqualTo(String.valueOf(js.body().length()));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void directoriesServeTheirIndexAfterARedirect() {
        RawHttp.Response redirect = RawHttp.get(server.address(), "/diag");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("location")).isEqualTo("diag/");
        assertThat(RawHttp.get(server.address(), "/diag/").body()).contains("diagnostics");
        assertThat(RawHttp.get(server.address(), "/empty-dir").status()).isEqualTo(404);
    }

    @Test
    void servesWebJarsWithALongCacheLifetime() {
        RawHttp.Response demo = RawHttp.get(server.address(), "/webjars/demo/1.2.3/demo.js");
        assertThat(demo.status()).isEqualTo(200);
        assertThat(demo.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(demo.header("cache-control")).contains("immutable");
        assertThat(demo.body()).contains("webjar");
    }

    @Test
    void refusesDirectoryTraversalInEveryEncoding() {
        for (String target : List.of("/../outside-web-root.txt", "/js/../../outside-web-root.txt",
                "/%2e%2e/outside-web-root.txt", "/%2E%2E%2Foutside-web-root.txt", "/..%5coutside-web-root.txt",
                "/webjars/../../../../outside-web-root.txt", "/webjars/%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside-web-root.txt",
                "//outside-web-root.txt", "/./index.html", "/js//app.js", "/..%00/outside-web-root.txt",
                "/io/switchboard/signaling/SignalingServer.class", "/../../../../io/switchboard/signaling/SignalingServer.class")) {
            RawHttp.Response response = RawHttp.get(server.address(), target);
            assertThat(response.status()).as(target).isIn(400, 404);
            assertThat(response.body()).as(target).doesNotContain("must never be served").doesNotContain("test index page");
        }
    }

    @Test
    void unknownPathsGetTheNotFoundPage() {
        RawHttp.Response missing = RawHttp.get(server.address(), "/no/such/page.html");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(missing.body()).contains("404 Not Found");
        RawHttp.Response api = RawHttp.get(server.address(), "/api/nothing");
        assertThat(api.status()).isEqualTo(404);
        assertThat(api.header("content-type")).isEqualTo("application/json");
        assertThat(RawHttp.request(server.address(), "DELETE", "/index.html", Map.of()).status()).isEqualTo(405);
    }

    @Test
    void extraRoutesAnswerTheirPathsAndMethods() {
        RawHttp.Response health = RawHttp.get(server.address(), "/healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(health.header("content-type")).isEqualTo("application/json");
        assertThat(RawHttp.request(server.address(), "HEAD", "/healthz", Map.of()).status()).isEqualTo(200);
        RawHttp.Response wrongMethod = RawHttp.request(server.address(), "POST", "/healthz", Map.of("Content-Length", "0"));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("allow")).isEqualTo("GET, HEAD");
        RawHttp.Response echo = RawHttp.request(server.address(), "POST", "/echo?q=x%20y", Map.of(), "hi");
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.body()).isEqualTo("x y:hi");
    }

    @Test
    void extraRoutesCannotTakeTheServersOwnPaths() {
        assertThatThrownBy(() -> HttpRoutes.builder().get("/ws", r -> RouteResponse.text(200, "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpRoutes.builder().get("/api/ice-servers", r -> RouteResponse.text(200, "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpRoutes.builder().get("/webjars/x", r -> RouteResponse.text(200, "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpRoutes.builder().get("/a", r -> null).get("/a", r -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void webSocketAndEventStreamRefuseForeignOrigins() throws Exception {
        assertThat(TestSocket.handshakeStatus(server.address(), Map.of("Origin", "https://evil.example"))).isEqualTo(403);
        assertThat(TestSocket.handshakeStatus(server.address(), Map.of("Origin", "https://good.example"))).isEqualTo(101);
        assertThat(TestSocket.handshakeStatus(server.address(), Map.of())).as("no Origin: not a browser").isEqualTo(101);
        assertThat(RawHttp.request(server.address(), "GET", "/api/events", Map.of("Origin", "https://evil.example")).status())
                .isEqualTo(403);
    }

    @Test
    void plainGetOnTheWebSocketPathAsksForAnUpgrade() {
        RawHttp.Response response = RawHttp.get(server.address(), "/ws");
        assertThat(response.status()).isEqualTo(426);
        assertThat(response.header("upgrade")).isEqualTo("websocket");
    }
}
