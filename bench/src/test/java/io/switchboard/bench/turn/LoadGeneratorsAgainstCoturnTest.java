package io.switchboard.bench.turn;

import io.switchboard.bench.Args;
import io.switchboard.bench.report.Measurement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Smoke test of the load generators' protocol logic against a real TURN server (coturn): the handshakes succeed and
 * probes make the round trip. Nothing here is timed; speed is measured by the bench scripts.
 */
class LoadGeneratorsAgainstCoturnTest {
    @TempDir
    static Path dir;
    private static Process coturn;
    private static int port;

    @BeforeAll
    static void startCoturn() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        int relayLow = 40000 + ThreadLocalRandom.current().nextInt(200) * 100;
        coturn = new ProcessBuilder("turnserver", "-n", "--no-cli", "--no-tls", "--no-dtls",
                "--listening-ip", "127.0.0.1", "--listening-port", Integer.toString(port),
                "--relay-ip", "127.0.0.1", "--min-port", Integer.toString(relayLow),
                "--max-port", Integer.toString(relayLow + 99), "--user", "alice:secret", "--realm", "example.org",
                "--lt-cred-mech", "--allow-loopback-peers", "--no-stdout-log", "--log-file", "stdout",
                "-m", "1")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("coturn.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(20)).until(LoadGeneratorsAgainstCoturnTest::answersBinding);
    }

    @AfterAll
    static void stopCoturn() throws InterruptedException {
        coturn.destroy();
        coturn.waitFor();
    }

    @Test
    void relayLoadAllocatesBindsChannelsAndGetsItsProbesEchoedThroughThePeer() throws Exception {
        Measurement result = run(TurnRelayLoad::run, "--allocations", "4", "--rate", "400", "--size", "100",
                "--warmup", "1", "--duration", "1");

        assertThat(result.get("allocations")).isEqualTo("4");
        assertThat(result.get("failed_allocations")).isEqualTo("0");
        assertThat(result.number("relayed_pps")).isPositive();
        assertThat(result.number("rtt_p50_us")).isPositive();
    }

    @Test
    void floodModeKeepsPacketsInFlightAndCountsThemBack() throws Exception {
        Measurement result = run(TurnRelayLoad::run, "--allocations", "2", "--rate", "0", "--window", "4",
                "--size", "1200", "--warmup", "1", "--duration", "1");

        assertThat(result.get("mode")).isEqualTo("flood");
        assertThat(result.number("relayed_pps")).isPositive();
    }

    @Test
    void allocationLoadCompletesTheLongTermCredentialHandshakeForEveryClient() throws Exception {
        Measurement result = run(TurnAllocationLoad::run, "--allocations", "20", "--concurrency", "5");

        assertThat(result.get("allocations")).isEqualTo("20");
        assertThat(result.get("failed")).isEqualTo("0");
    }

    @Test
    void bindingLoadGetsAnswers() throws Exception {
        Measurement result = run(BindingLoad::run, "--sockets", "2", "--window", "2", "--warmup", "1",
                "--duration", "1");

        assertThat(result.number("binding_per_s")).isPositive();
    }

    private interface Load {
        int run(Args args) throws Exception;
    }

    private static Measurement run(Load load, String... options) throws Exception {
        Path out = Files.createTempFile(dir, "result", ".txt");
        Files.delete(out);
        List<String> args = new java.util.ArrayList<>(List.of("--server", "127.0.0.1:" + port,
                "--server-name", "coturn", "--quiet-wait", "0", "--out", out.toString()));
        args.addAll(List.of(options));
        load.run(new Args(args));
        return Measurement.parse(Files.readAllLines(out).get(0));
    }

    private static boolean answersBinding() throws IOException {
        byte[] request = new byte[20];
        request[1] = 0x01;
        request[4] = 0x21;
        request[5] = 0x12;
        request[6] = (byte) 0xA4;
        request[7] = 0x42;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(200);
            socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
            socket.receive(new DatagramPacket(new byte[1500], 1500));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
