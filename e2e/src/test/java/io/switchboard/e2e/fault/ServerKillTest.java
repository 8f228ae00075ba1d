package io.switchboard.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.e2e.SwitchboardProcess;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the server in the middle of a relay-only call between two Chromium pages, and a restart on the
 * same ports: the pages never leave the call screen; their signaling reconnects, finds its session gone with the old
 * process and joins afresh, and the calls are rebuilt (new peer connections and ICE through new TURN allocations on the
 * restarted server) until video flows again over relay candidates.
 */
class ServerKillTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Test
    void aRelayedCallComesBackAfterTheServerIsKilledAndRestartedOnTheSamePorts() throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--bind", "127.0.0.1",
                "--http-port", Integer.toString(freePort()), "--turn-port", Integer.toString(freePort()),
                "--admin-port", Integer.toString(freePort()), "--tls", "false",
                "--auth-secret", "fault-test-shared-secret"));
        Map<String, String> env = Map.of("SWITCHBOARD_DRAIN_TIMEOUT", "0");
        SwitchboardProcess server = SwitchboardProcess.start(env, args);
        try (CallBrowser alice = CallBrowser.launch(); CallBrowser bob = CallBrowser.launch()) {
            server.awaitReady(Duration.ofSeconds(60));
            String room = "kill-" + Long.toString(System.nanoTime() % 1_000_000, 36);
            alice.joinRelayOnly(server.httpUrl(), room, "Alice");
            bob.joinRelayOnly(server.httpUrl(), room, "Bob");
            await("the relayed call is up").atMost(PATIENCE)
                    .until(() -> alice.inRelayedCallWithVideo() && bob.inRelayedCallWithVideo());
            String httpUrl = server.httpUrl();
            String aliceId = alice.snapshot().path("call").path("id").asText();
            String bobId = bob.snapshot().path("call").path("id").asText();

            server.kill();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).as("killed with SIGKILL").isEqualTo(137);
            server = SwitchboardProcess.start(env, args);
            server.awaitReady(Duration.ofSeconds(60));
            assertThat(server.httpUrl()).as("the same port").isEqualTo(httpUrl);
            SwitchboardProcess restarted = server;

            await("both pages' signaling is back").atMost(PATIENCE).until(() -> rejoined(alice) && rejoined(bob));
            await("the call is relayed again, on new peer connections").atMost(PATIENCE).until(() ->
                    !peerId(alice).equals(bobId) && !peerId(bob).equals(aliceId)
                            && alice.inRelayedCallWithVideo() && bob.inRelayedCallWithVideo());
            for (CallBrowser browser : List.of(alice, bob)) {
                assertThat(browser.snapshot().path("view").asText()).as("never left the call screen").isEqualTo("call");
            }
            assertThat(alice.snapshot().path("call").path("id").asText()).as("a new session on the new process")
                    .isNotEqualTo(aliceId);
            AdminMetrics metrics = AdminMetrics.scrape(restarted.adminUrl());
            assertThat(metrics.sum("switchboard_turn_allocations")).as("new allocations").isGreaterThanOrEqualTo(2);
            assertThat(metrics.sum("switchboard_signaling_peers")).isEqualTo(2);
        } finally {
            server.close();
        }
    }

    private static boolean rejoined(CallBrowser browser) {
        JsonNode counters = browser.snapshot().path("counters");
        return counters.path("rejoined").asInt() + counters.path("resumed").asInt() > 0;
    }

    private static String peerId(CallBrowser browser) {
        JsonNode peers = browser.snapshot().path("call").path("peers");
        return peers.size() == 1 ? peers.get(0).path("id").asText() : "";
    }

    /** A port free for both TCP and UDP on 127.0.0.1 right now. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                         tcp.getLocalPort()))) {
                return udp.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port");
    }
}
