package io.switchboard.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.e2e.SwitchboardProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Soak: TURN allocations with traffic and signaling peers exchanging messages at the same time against the real jar,
 * then everything ends and the server must be back where it started. Checked from outside, as an operator would:
 * the admin {@code /metrics} (allocations, permissions, channels, connections, peers, rooms all zero), the process's
 * open file descriptors (every relay port and socket closed), a class histogram after a full GC (no allocation, relay,
 * session or peer object left) and Netty's leak detector (no buffer left unreleased). No packet or message may be lost
 * beyond what the load generator counts as sent late.
 *
 * <p>{@code mvn verify} runs a short form (30 s, 100 allocations, 100 peers); {@code scripts/soak} the long one
 * (10 minutes, 1,000 and 1,000) through the system properties {@code soak.seconds}, {@code soak.allocations},
 * {@code soak.peers}.
 */
class SoakTest {
    private static final int SECONDS = Integer.getInteger("soak.seconds", 30);
    private static final int ALLOCATIONS = Integer.getInteger("soak.allocations", 100);
    private static final int PEERS = Integer.getInteger("soak.peers", 100);
    private static final int PACKETS_PER_SECOND = Integer.getInteger("soak.pps", 5);
    private static final double SIGNALS_PER_SECOND = Double.parseDouble(System.getProperty("soak.sps", "2"));
    private static final String USER = "soak";
    private static final String PASSWORD = "soak-password";
    private static final List<String> STATEFUL_CLASSES = List.of("io.switchboard.turn.allocation.Allocation",
            "io.switchboard.turn.server.UdpRelay", "io.switchboard.turn.allocation.Permission",
            "io.switchboard.turn.allocation.ChannelBinding", "io.switchboard.signaling.session.ClientSession",
            "io.switchboard.signaling.room.Peer", "io.switchboard.signaling.room.Room");

    @Test
    void allocationsWithTrafficAndSignalingPeersRunWithoutLossAndEverythingIsReleasedAfterwards() throws Exception {
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Dio.netty.leakDetection.level=advanced");
        try (SwitchboardProcess server = SwitchboardProcess.serve(env, "--allow-peer", "127.0.0.0/8",
                "--user", USER + ":" + PASSWORD, "--user-quota", Integer.toString(ALLOCATIONS + 10),
                "--realm", "soak.test", "--tls", "false", "--max-bps", "0")) {
            long pid = server.pid();
            await().atMost(Duration.ofSeconds(30)).until(() -> AdminMetrics.scrape(server.adminUrl())
                    .sum("switchboard_turn_allocations") == 0);
            int filesBefore = ProcessProbe.openFiles(pid);
            Map<String, Long> before = ProcessProbe.liveInstances(pid);

            long udpBufferErrorsBefore = ProcessProbe.udpReceiveBufferErrors();
            TurnLoad.Result turn;
            SignalingLoad.Result signaling;
            try (TurnLoad turnLoad = new TurnLoad(server.listener("turn-udp"), USER, PASSWORD, "soak.test", 200);
                 SignalingLoad signalingLoad = new SignalingLoad(URI.create("ws://" + server.listener("http").getHostString()
                         + ":" + server.listener("http").getPort() + "/ws"))) {
                int allocated = turnLoad.open(ALLOCATIONS, Duration.ofSeconds(120));
                int joined = signalingLoad.open(PEERS, "soak-", Duration.ofSeconds(120));
                assertThat(allocated).as("allocations made").isEqualTo(ALLOCATIONS);
                assertThat(joined).as("peers joined").isEqualTo(PEERS / 2 * 2);
                AdminMetrics during = AdminMetrics.scrape(server.adminUrl());
                assertThat(during.sum("switchboard_turn_allocations")).isEqualTo(ALLOCATIONS);
                assertThat(during.sum("switchboard_signaling_peers")).isEqualTo(PEERS / 2 * 2);

                SignalingLoad.Result[] signalingResult = new SignalingLoad.Result[1];
                Thread signals = new Thread(() -> {
                    try {
                        signalingResult[0] = signalingLoad.run(SIGNALS_PER_SECOND, Duration.ofSeconds(SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "soak-signaling");
                signals.start();
                turn = turnLoad.run(PACKETS_PER_SECOND, Duration.ofSeconds(SECONDS));
                signals.join();
                signaling = signalingResult[0];
                assertThat(turnLoad.deleteAll(Duration.ofSeconds(30))).as("allocations deleted").isEqualTo(ALLOCATIONS);
            }
            AdminMetrics relayed = AdminMetrics.scrape(server.adminUrl());
            long bufferOverflows = ProcessProbe.udpReceiveBufferErrors() - udpBufferErrorsBefore;
            System.out.printf("soak where the packets went: %d reached the echo peer; machine-wide UDP receive buffer "
                            + "overflows during the run: %d; server counters:%n%s%s", turn.echoed(), bufferOverflows,
                    relayed.nonZero("switchboard_turn_relayed_packets"), relayed.nonZero("switchboard_turn_dropped"));
            System.out.printf("soak %d s: TURN %d allocations, %d packets sent, %d echoed back, %d lost, %d sent late;"
                            + " signaling %d peers, %d messages sent, %d received, %d out of order, %d errors%n",
                    SECONDS, turn.sessions(), turn.sent(), turn.received(), turn.lost(), turn.late(),
                    signaling.peers(), signaling.sent(), signaling.received(), signaling.outOfOrder(), signaling.errors());
            assertThat(turn.sent()).as("packets sent").isPositive();
            // The server's counters split the loss: what it never relayed is its own; what it relayed but the
            // generator's sockets did not read (its receive buffers overflowed while it was held up) is the generator's.
            long toPeer = (long) relayed.sum("switchboard_turn_relayed_packets_total", "to-peer");
            long toClient = (long) relayed.sum("switchboard_turn_relayed_packets_total", "to-client");
            long serverLost = (turn.sent() - toPeer) + (turn.echoed() - toClient);
            long generatorLost = (toPeer - turn.echoed()) + (toClient - turn.received());
            System.out.printf("soak TURN loss: %d at the server (never relayed), %d at the load generator (relayed, "
                    + "not read in time)%n", serverLost, generatorLost);
            assertThat(serverLost).as("TURN packets the server lost, beyond those sent late").isLessThanOrEqualTo(turn.late());
            assertThat(generatorLost).as("packets the load generator failed to read, beyond what the kernel reports "
                    + "as receive-buffer overflows").isLessThanOrEqualTo(Math.max(0, bufferOverflows));
            assertThat(signaling.sent()).as("signals sent").isPositive();
            assertThat(signaling.lost()).as("signals lost").isZero();
            assertThat(signaling.outOfOrder()).as("signals out of order").isZero();
            assertThat(signaling.errors()).as("signaling errors").isZero();

            await("everything released in /metrics").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                AdminMetrics after = AdminMetrics.scrape(server.adminUrl());
                assertThat(after.sum("switchboard_turn_allocations")).isZero();
                assertThat(after.sum("switchboard_turn_permissions")).isZero();
                assertThat(after.sum("switchboard_turn_channels")).isZero();
                assertThat(after.sum("switchboard_signaling_connections")).isZero();
                assertThat(after.sum("switchboard_signaling_peers")).isZero();
                assertThat(after.sum("switchboard_signaling_rooms")).isZero();
            });
            await("relay ports and sockets closed").atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessProbe.openFiles(pid) <= filesBefore + 4);
            Map<String, Long> after = ProcessProbe.liveInstances(pid);
            for (String type : STATEFUL_CLASSES) {
                assertThat(after.getOrDefault(type, 0L)).as("live " + type).isLessThanOrEqualTo(before.getOrDefault(type, 0L));
            }
            // The leak detector reports when it sees a collected buffer that was never released.
            ProcessProbe.liveInstances(pid);
            AdminMetrics.scrape(server.adminUrl());
            assertThat(server.output()).as("Netty leak reports").doesNotContain("LEAK:");
        }
    }
}
