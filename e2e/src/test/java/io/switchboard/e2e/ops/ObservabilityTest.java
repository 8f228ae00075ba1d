package io.switchboard.e2e.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import io.switchboard.e2e.SwitchboardProcess;
import io.switchboard.signaling.SignalingTokens;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an operator watches: live Prometheus metrics with small label sets, and logs without credentials. */
class ObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void metricsMoveWhileSessionsAreStillRunning() throws Exception {
        try (SwitchboardProcess server = SwitchboardProcess.serve("--user", "alice:metrics-password",
                "--allow-peer", "127.0.0.0/8");
             UdpEcho peer = new UdpEcho();
             TurnClient client = TurnClient.connect(TurnClientConfig.udp(server.listener("turn-udp"), "alice",
                     "metrics-password"));
             SignalingSocket carol = SignalingSocket.connect(HTTP, server.httpUrl());
             SignalingSocket dave = SignalingSocket.connect(HTTP, server.httpUrl())) {
            Scrape idle = Scrape.of(server.adminUrl());
            assertThat(idle.value("switchboard_turn_allocations")).isZero();
            assertThat(idle.value("switchboard_draining")).isZero();
            assertThat(idle.value("switchboard_tls_certificate_not_after_seconds"))
                    .isGreaterThan(Clock.systemUTC().instant().getEpochSecond());

            client.allocate();
            client.bindChannel(0x4000, peer.address());
            for (int i = 0; i < 5; i++) {
                client.sendChannelData(0x4000, ("packet " + i).getBytes());
                assertThat(client.receive(Duration.ofSeconds(5))).isPresent();
            }
            try (TurnClient wrong = TurnClient.connect(TurnClientConfig.udp(server.listener("turn-udp"), "alice", "wrong"))) {
                assertThatThrownBy(wrong::allocate).isInstanceOf(TurnClientException.class);
            }
            try (DatagramSocket garbage = new DatagramSocket()) {
                garbage.send(new DatagramPacket(new byte[] {(byte) 0xff, 1, 2, 3}, 4, server.listener("turn-udp")));
            }
            String carolId = carol.join("observed-room", "").path("id").asText();
            JsonNode daveJoined = dave.join("observed-room", "");
            dave.send("{\"type\":\"signal\",\"to\":\"" + carolId + "\",\"data\":{\"hello\":1}}");
            carol.next("signal");
            carol.send("{not json");
            carol.next("error");

            await("every live metric shows the sessions in progress").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Scrape live = Scrape.of(server.adminUrl());
                assertThat(live.value("switchboard_turn_allocations")).isEqualTo(1);
                assertThat(live.value("switchboard_turn_permissions")).isEqualTo(1);
                assertThat(live.value("switchboard_turn_channels")).isEqualTo(1);
                assertThat(live.value("switchboard_turn_relayed_packets_total", "direction=\"to-peer\"")).isGreaterThanOrEqualTo(5);
                assertThat(live.value("switchboard_turn_relayed_packets_total", "direction=\"to-client\"")).isGreaterThanOrEqualTo(5);
                assertThat(live.value("switchboard_turn_relayed_bytes_total", "direction=\"to-peer\"")).isGreaterThanOrEqualTo(40);
                assertThat(live.value("switchboard_turn_requests_total", "method=\"allocate\"")).isGreaterThanOrEqualTo(2);
                assertThat(live.value("switchboard_turn_responses_total", "code=\"401\"")).isGreaterThanOrEqualTo(2);
                assertThat(live.value("switchboard_turn_auth_failures_total", "reason=\"wrong-password\"")).isGreaterThanOrEqualTo(1);
                assertThat(live.value("switchboard_turn_dropped_total", "reason=\"not-stun\"")).isGreaterThanOrEqualTo(1);
                assertThat(live.value("switchboard_signaling_connections", "transport=\"ws\"")).isEqualTo(2);
                assertThat(live.value("switchboard_signaling_rooms")).isEqualTo(1);
                assertThat(live.value("switchboard_signaling_peers")).isEqualTo(2);
                assertThat(live.value("switchboard_signaling_messages_relayed_total")).isGreaterThanOrEqualTo(1);
                assertThat(live.value("switchboard_signaling_errors_total", "code=\"bad-message\"")).isGreaterThanOrEqualTo(1);
            });

            dave.abortConnection();
            try (SignalingSocket daveAgain = SignalingSocket.connect(HTTP, server.httpUrl())) {
                JsonNode resumed = daveAgain.join("observed-room", ",\"resume\":\"" + daveJoined.path("resume").asText() + "\"");
                assertThat(resumed.path("resumed").asBoolean()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        Scrape.of(server.adminUrl()).value("switchboard_signaling_resumes_total", "outcome=\"resumed\"") >= 1);
            }

            Scrape last = Scrape.of(server.adminUrl());
            assertThat(last.text()).as("no label names a user, room or address")
                    .doesNotContain("alice").doesNotContain("observed-room").doesNotContain("127.0.0.1");
            assertThat(last.series("switchboard_turn_responses_total")).hasSizeLessThan(25);
            assertThat(last.series("switchboard_signaling_errors_total")).hasSizeLessThan(25);
        }
    }

    @Test
    void logsOneJsonLinePerSessionStartAndEndAndNeverACredential() throws Exception {
        String password = "Static-Password-7f3a";
        String restSecret = "Rest-Shared-Secret-91bc";
        String signalingSecret = "Signaling-Secret-0123456789abcdef";
        List<String> credentials = new ArrayList<>(List.of(password, restSecret, signalingSecret));
        SwitchboardProcess server = SwitchboardProcess.serve("--log-format", "json", "--user", "alice:" + password,
                "--auth-secret", restSecret, "--signaling-secret", signalingSecret, "--allow-peer", "127.0.0.0/8");
        try (UdpEcho peer = new UdpEcho()) {
            InetSocketAddress turn = server.listener("turn-udp");
            try (TurnClient alice = TurnClient.connect(TurnClientConfig.udp(turn, "alice", password))) {
                alice.allocate();
                alice.createPermission(peer.address());
                alice.refresh(Duration.ZERO);
            }
            JsonNode ice = JSON.readTree(HTTP.send(HttpRequest.newBuilder(
                    URI.create(server.httpUrl() + "/api/ice-servers?user=bob")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            credentials.add(ice.path("password").asText());
            try (TurnClient bob = TurnClient.connect(TurnClientConfig.tcp(turn, ice.path("username").asText(),
                    ice.path("password").asText()))) {
                bob.allocate();
            }
            try (TurnClient mallory = TurnClient.connect(TurnClientConfig.udp(turn, "alice", "Guessed-Password-55"))) {
                assertThatThrownBy(mallory::allocate).isInstanceOf(TurnClientException.class);
            }
            credentials.add("Guessed-Password-55");
            String token = SignalingTokens.mint(signalingSecret, "log-room", Duration.ofMinutes(5), Clock.systemUTC());
            credentials.add(token);
            try (SignalingSocket carol = SignalingSocket.connect(HTTP, server.httpUrl())) {
                JsonNode joined = carol.join("log-room", ",\"token\":\"" + token + "\"");
                credentials.add(joined.path("resume").asText());
                credentials.add(joined.path("iceServers").get(1).path("credential").asText());
            }
            server.awaitOutput("signaling session end", Duration.ofSeconds(10));
        } finally {
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }

        List<JsonNode> logs = new ArrayList<>();
        for (String line : server.output().split("\n")) {
            if (line.startsWith("{")) {
                logs.add(JSON.readTree(line));
            }
        }
        List<String> messages = logs.stream().map(l -> l.path("formattedMessage").asText()).toList();
        assertThat(logs).allSatisfy(l -> assertThat(l.path("level").asText()).isNotEmpty());
        assertThat(messages).anyMatch(m -> m.startsWith("allocation started udp") && m.contains("user=alice"))
                .anyMatch(m -> m.startsWith("allocation ended udp") && m.contains("reason=deleted"))
                .anyMatch(m -> m.startsWith("allocation started tcp") && m.contains(":bob"))
                .anyMatch(m -> m.startsWith("allocation ended tcp") && m.contains("reason="))
                .anyMatch(m -> m.startsWith("signaling session start transport=ws"))
                .anyMatch(m -> m.startsWith("signaling session end transport=ws") && m.contains("reason=client-close"));
        for (String credential : credentials) {
            assertThat(credential).isNotBlank();
            assertThat(server.output()).as("the logs never show a credential").doesNotContain(credential);
        }
    }
}
