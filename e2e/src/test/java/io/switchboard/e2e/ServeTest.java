package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code bin/switchboard serve} as a user runs it: listeners, health, the web client, STUN for reference clients. */
class ServeTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SwitchboardProcess server;

    @BeforeAll
    static void start() {
        server = SwitchboardProcess.serve();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void printsOneListeningLinePerListenerWithTheBoundPorts() {
        assertThat(server.listeners()).containsKeys("http", "turn-udp", "turn-tcp", "admin");
        assertThat(server.listeners().values()).allSatisfy(address -> {
            assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(address.getPort()).isBetween(1024, 65535).isNotIn(3478, 8080);
        });
        assertThat(server.listener("turn-udp").getPort()).isEqualTo(server.listener("turn-tcp").getPort());
    }

    @Test
    void healthzSaysOkOnTheHttpAndAdminListeners() throws Exception {
        HttpResponse<String> health = get(server.httpUrl() + "/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(get(server.adminUrl() + "/healthz").body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(get(server.adminUrl() + "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void servesTheWebClientAtTheRoot() throws Exception {
        HttpResponse<String> page = get(server.httpUrl() + "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("<html");
    }

    @Test
    void metricsAreOnTheAdminListenerOnly() throws Exception {
        HttpResponse<String> metrics = get(server.adminUrl() + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("switchboard_turn_", "switchboard_signaling_", "jvm_memory_used_bytes");
        assertThat(get(server.httpUrl() + "/metrics").statusCode()).isEqualTo(404);
    }

    @Test
    void iceServersPointAtTheRunningTurnListeners() throws Exception {
        JsonNode body = new ObjectMapper().readTree(get(server.httpUrl() + "/api/ice-servers?user=alice").body());
        int port = server.listener("turn-udp").getPort();
        assertThat(body.get("username").asText()).matches("\\d+:alice");
        assertThat(body.get("ttl").asInt()).isEqualTo(86400);
        assertThat(body.get("uris").toString()).contains("stun:127.0.0.1:" + port,
                "turn:127.0.0.1:" + port + "?transport=udp", "turn:127.0.0.1:" + port + "?transport=tcp");
        assertThat(body.get("iceServers").get(1).get("credential").asText()).isEqualTo(body.get("password").asText());
    }

    @Test
    void coturnStunclientGetsItsMappedAddress() {
        ExternalCommand result = ExternalCommand.run(Duration.ofSeconds(20), List.of("turnutils_stunclient",
                "-p", String.valueOf(server.listener("turn-udp").getPort()), "127.0.0.1"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        Matcher m = Pattern.compile("UDP reflexive addr: 127\\.0\\.0\\.1:(\\d+)").matcher(result.output());
        assertThat(m.find()).as(result.output()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isBetween(1024, 65535);
    }

    @Test
    void natCheckPrintsTheMappedAddress() {
        ExternalCommand result = ExternalCommand.switchboard(Duration.ofSeconds(30), "nat-check",
                "127.0.0.1:" + server.listener("turn-udp").getPort());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).containsPattern("127\\.0\\.0\\.1:\\d+").contains("RFC 5780");
    }

    @Test
    void natCheckSaysClearlyWhenNoServerAnswers() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ExternalCommand result = ExternalCommand.switchboard(Duration.ofSeconds(30), "nat-check",
                    "--rto", "100", "--attempts", "2", "127.0.0.1:" + silent.getLocalPort());
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.output()).contains("nat-check: no STUN response from 127.0.0.1:" + silent.getLocalPort());
        }
    }

    @Test
    void aTakenPortFailsAtStartNamingTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ExternalCommand result = ExternalCommand.switchboard(Duration.ofSeconds(30), "serve", "--bind", "127.0.0.1",
                    "--http-port", String.valueOf(taken.getLocalPort()), "--turn-port", "0", "--admin-port", "0",
                    "--turns-port", "0", "--https-port", "0");
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.output()).contains("--http-port: cannot listen on");
        }
    }

    @Test
    void anInvalidOptionFailsAtStartNamingIt() {
        ExternalCommand result = ExternalCommand.switchboard(Duration.ofSeconds(30), "serve", "--relay-ports", "9-1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("--relay-ports");
    }
}
