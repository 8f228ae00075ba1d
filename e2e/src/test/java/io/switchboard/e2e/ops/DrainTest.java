package io.switchboard.e2e.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import io.switchboard.e2e.SwitchboardProcess;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM drains: new allocations and joins are refused, signaling clients are sent elsewhere, {@code /readyz} says
 * 503, running relays go on until they end or {@code --drain-timeout} passes, then the process exits 0.
 */
class DrainTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void sigtermKeepsARunningRelayAliveUntilTheDeadlineThenExitsZero() throws Exception {
        SwitchboardProcess server = SwitchboardProcess.serve("--drain-timeout", "4", "--user", "alice:drain-password",
                "--allow-peer", "127.0.0.0/8");
        InetSocketAddress turn = server.listener("turn-udp");
        try (UdpEcho peer = new UdpEcho();
             TurnClient relay = TurnClient.connect(TurnClientConfig.udp(turn, "alice", "drain-password"));
             TurnClient latecomer = TurnClient.connect(TurnClientConfig.udp(turn, "alice", "drain-password"));
             SignalingSocket carol = SignalingSocket.connect(HTTP, server.httpUrl())) {
            relay.allocate();
            relay.bindChannel(0x4000, peer.address());
            assertThat(echo(relay, "before")).isEqualTo("before");
            carol.join("drain-room", "");
            assertThat(status(server.adminUrl() + "/readyz")).isEqualTo(200);

            server.signal("TERM");
            server.awaitOutput("draining: new allocations and joins are refused", Duration.ofSeconds(10));

            JsonNode reconnect = carol.next("reconnect");
            assertThat(reconnect.path("reason").asText()).isEqualTo("draining");
            assertThat(carol.awaitClose()).isEqualTo(1001);
            assertThat(status(server.adminUrl() + "/readyz")).isEqualTo(503);
            assertThat(status(server.adminUrl() + "/healthz")).isEqualTo(200);
            assertThatThrownBy(() -> new Socket(server.listener("http").getAddress(), server.listener("http").getPort()))
                    .as("the signaling listener no longer accepts").isInstanceOf(ConnectException.class);
            assertThatThrownBy(latecomer::allocate).as("a new allocation during the drain")
                    .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(508));

            for (int i = 0; i < 10; i++) {
                assertThat(echo(relay, "during " + i)).isEqualTo("during " + i);
                Thread.sleep(100);
            }
            assertThat(server.isAlive()).as("alive while its allocation runs, before the deadline").isTrue();
            assertThat(relay.refresh(Duration.ofMinutes(1))).as("refreshing an existing allocation").isPositive();

            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.output()).contains("drained: 1 allocation(s) still open at the deadline are closed");
        } finally {
            server.close();
        }
    }

    @Test
    void theDrainEndsAsSoonAsTheLastAllocationEnds() throws Exception {
        SwitchboardProcess server = SwitchboardProcess.serve("--drain-timeout", "120", "--user", "alice:drain-password");
        try (TurnClient relay = TurnClient.connect(TurnClientConfig.udp(server.listener("turn-udp"), "alice",
                "drain-password"))) {
            relay.allocate();
            server.signal("TERM");
            server.awaitOutput("waiting up to 120s for 1 allocation", Duration.ofSeconds(10));
            assertThat(server.isAlive()).isTrue();

            relay.refresh(Duration.ZERO);

            assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exit well before the 120 s deadline").isZero();
            assertThat(server.output()).contains("drained: no allocation left");
        } finally {
            server.close();
        }
    }

    @Test
    void aSecondSigtermStopsAtOnce() throws Exception {
        SwitchboardProcess server = SwitchboardProcess.serve("--drain-timeout", "120", "--user", "alice:drain-password");
        try (TurnClient relay = TurnClient.connect(TurnClientConfig.udp(server.listener("turn-udp"), "alice",
                "drain-password"))) {
            relay.allocate();
            server.signal("TERM");
            server.awaitOutput("waiting up to 120s", Duration.ofSeconds(10));
            server.signal("TERM");

            assertThat(server.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(server.output()).contains("still open at the second stop signal are closed");
        } finally {
            server.close();
        }
    }

    private static String echo(TurnClient client, String text) {
        client.sendChannelData(0x4000, text.getBytes());
        return client.receive(Duration.ofSeconds(5)).map(d -> new String(d.data())).orElse("(nothing)");
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
