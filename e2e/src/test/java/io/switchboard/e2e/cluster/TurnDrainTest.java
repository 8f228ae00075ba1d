package io.switchboard.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.e2e.ExternalCommand;
import io.switchboard.e2e.SwitchboardProcess;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two {@code switchboard serve} processes as a TURN fleet: the first, told its peer with {@code --alternate-server},
 * drains after SIGTERM and answers new Allocates with 300 Try Alternate; coturn's turnutils_uclient and Switchboard's
 * Java TURN client follow it to the second and relay there, with the shared nonce and credentials.
 */
class TurnDrainTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String NONCE_SECRET = "e2e-fleet-nonce-secret-42";

    private static SwitchboardProcess node(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--user", "alice:secret", "--realm", "example.org",
                "--allow-peer", "127.0.0.0/8", "--nonce-secret", NONCE_SECRET, "--drain-timeout", "120"));
        args.addAll(List.of(extra));
        return SwitchboardProcess.serve(args.toArray(new String[0]));
    }

    @Test
    void aDrainingNodeSendsNewAllocationsToItsAlternateAndUclientAndTheJavaClientFollow() throws Exception {
        try (SwitchboardProcess alternate = node();
             SwitchboardProcess draining = node("--alternate-server",
                     "127.0.0.1:" + alternate.listener("turn-udp").getPort());
             PeerProcess peer = PeerProcess.start();
             TurnClient holder = TurnClient.connect(udp(draining))) {
            holder.allocate(); // keeps the draining node up while it drains
            ProcessHandle.of(draining.pid()).orElseThrow().destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(30)).until(() -> metric(draining,
                    "switchboard_draining") == 1.0);

            ExternalCommand uclient = ExternalCommand.uclient(Duration.ofSeconds(90), List.of("turnutils_uclient",
                    "-u", "alice", "-w", "secret", "-m", "4", "-n", "100", "-l", "170", "-z", "5",
                    "-e", "127.0.0.1", "-r", Integer.toString(peer.port()),
                    "-p", Integer.toString(draining.listener("turn-udp").getPort()), "127.0.0.1"));
            assertThat(uclient.output()).contains("error 300");
            assertThat(last(uclient.output(), "Total lost packets (\\d+)")).as(uclient.output()).isZero();
            assertThat(last(uclient.output(), "tot_recv_msgs=(\\d+)")).as(uclient.output()).isEqualTo(400);

            try (TurnClient moving = TurnClient.connect(udp(draining))) {
                moving.allocate();
                assertThat(moving.server()).isEqualTo(alternate.listener("turn-udp"));
            }
            assertThat(metric(draining, "switchboard_turn_redirects_total{reason=\"draining\"}")).isPositive();
            assertThat(metric(draining, "switchboard_turn_allocations_started_total")).isEqualTo(1.0);
            assertThat(metric(alternate, "switchboard_turn_allocations_started_total")).isGreaterThanOrEqualTo(5.0);
            assertThat(metric(alternate, "switchboard_turn_auth_failures_total{reason=\"stale-nonce\"}"))
                    .as("the alternate took the draining node's nonce").isZero();

            holder.refresh(Duration.ZERO); // the last allocation ends: the drained node stops
            assertThat(draining.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    private static TurnClientConfig udp(SwitchboardProcess node) {
        return TurnClientConfig.udp(node.listener("turn-udp"), "alice", "secret");
    }

    private static double metric(SwitchboardProcess node, String series) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(node.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private static long last(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        long value = -1;
        while (m.find()) {
            value = Long.parseLong(m.group(1));
        }
        return value;
    }

    /** coturn's turnutils_peer, a UDP echo peer, on a free loopback port. */
    private static final class PeerProcess implements AutoCloseable {
        private final Process process;
        private final int port;

        private PeerProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static PeerProcess start() throws IOException, InterruptedException {
            for (int attempt = 0; attempt < 5; attempt++) {
                int port;
                try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    port = probe.getLocalPort();
                }
                Process process = new ProcessBuilder("turnutils_peer", "-L", "127.0.0.1", "-p", Integer.toString(port))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (echoes(port)) {
                    return new PeerProcess(process, port);
                }
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            throw new IOException("turnutils_peer did not start");
        }

        int port() {
            return port;
        }

        private static boolean echoes(int port) throws IOException {
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                socket.setSoTimeout(200);
                byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 25; i++) {
                    socket.send(new DatagramPacket(probe, probe.length, new InetSocketAddress("127.0.0.1", port)));
                    try {
                        socket.receive(new DatagramPacket(new byte[64], 64));
                        return true;
                    } catch (SocketTimeoutException e) {
                        // not up yet
                    }
                }
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
