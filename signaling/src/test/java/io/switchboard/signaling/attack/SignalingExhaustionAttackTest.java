package io.switchboard.signaling.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.signaling.SignalingConfig;
import io.switchboard.signaling.SignalingServer;
import io.switchboard.signaling.attack.AttackServer.Member;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Floods against the signaling listener: silent, half-open and slow-loris connections are closed after the idle
 * timeout, connections beyond the cap are refused at once, and a WebSocket client that stops reading is cut off once
 * the server's write buffer for it passes the high-water mark, instead of growing the heap; honest clients are served
 * throughout.
 */
class SignalingExhaustionAttackTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private AttackServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void silentHalfOpenAndSlowLorisConnectionsAreClosedAfterTheIdleTimeoutWhileOthersAreServed() throws Exception {
        server = new AttackServer(b -> b.pingInterval(Duration.ofMillis(300)).idleTimeout(Duration.ofSeconds(1)));
        List<Socket> flood = new ArrayList<>();
        List<RawWebSocket> deaf = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                flood.add(connect());
            }
            for (int i = 0; i < 100; i++) {
                Socket loris = connect();
                loris.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                flood.add(loris);
            }
            for (int i = 0; i < 50; i++) {
                deaf.add(RawWebSocket.connect(server.address()));
            }
            try (Member alice = server.join("busy", "alice"); Member bob = server.join("busy", "bob")) {
                alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + bob.id() + "\",\"data\":\"during the flood\"}");
                assertThat(bob.socket().next("signal").path("data").asText()).isEqualTo("during the flood");
                for (Socket socket : flood) {
                    assertClosedByServer(socket);
                }
                for (RawWebSocket socket : deaf) {
                    // Never answers the server's pings: dropped for silence (close frame or just the end of the stream).
                    assertThat(closeOf(socket)).isTrue();
                }
            }
            // Alice and Bob read nothing (so answered no ping) while the flood was checked, which may take longer
            // than the idle timeout on a loaded machine: newcomers show the server still serves.
            try (Member carol = server.join("after", "carol"); Member dave = server.join("after", "dave")) {
                carol.socket().sendText("{\"type\":\"signal\",\"to\":\"" + dave.id() + "\",\"data\":\"after the flood\"}");
                assertThat(dave.socket().next("signal").path("data").asText()).isEqualTo("after the flood");
            }
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
            for (RawWebSocket socket : deaf) {
                socket.close();
            }
        }
    }

    @Test
    void connectionsBeyondTheCapAreRefusedAtOnceAndTheOnesHeldAreServed() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SignalingConfig config = SignalingConfig.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0).build();
        try (SignalingServer capped = SignalingServer.builder(config).meterRegistry(registry).threads(1)
                .maxConnections(60).start()) {
            List<Socket> flood = new ArrayList<>();
            try (RawWebSocket alice = RawWebSocket.connect(capped.address());
                 RawWebSocket bob = RawWebSocket.connect(capped.address())) {
                for (int i = 0; i < 58; i++) {
                    flood.add(connect(capped.address()));
                }
                for (int i = 0; i < 40; i++) {
                    Socket refused = new Socket();
                    flood.add(refused);
                    try {
                        refused.connect(capped.address(), 5000);
                    } catch (IOException resetWhileConnecting) {
                        continue;
                    }
                    assertClosedByServer(refused);
                }
                alice.sendText("{\"type\":\"join\",\"room\":\"capped\"}");
                alice.next("joined");
                bob.sendText("{\"type\":\"join\",\"room\":\"capped\"}");
                String bobId = bob.next("joined").path("id").asText();
                alice.sendText("{\"type\":\"signal\",\"to\":\"" + bobId + "\",\"data\":\"within the cap\"}");
                assertThat(bob.next("signal").path("data").asText()).isEqualTo("within the cap");
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }
            // Once the flood is gone, there is room again.
            await().atMost(WAIT).ignoreExceptions().until(() -> {
                try (RawWebSocket later = RawWebSocket.connect(capped.address())) {
                    later.sendText("{\"type\":\"ping\",\"id\":\"room again\"}");
                    return later.next("pong").path("id").asText().equals("room again");
                }
            });
        }
    }

    @Test
    void aWebSocketClientThatStopsReadingIsCutOffInsteadOfGrowingTheServersBuffers() throws Exception {
        server = new AttackServer(b -> b.messageRate(1_000_000).messageBurst(1_000_000).resumeGrace(Duration.ZERO));
        try (Member sender = server.join("slow", "sender");
             RawWebSocket reader = RawWebSocket.connect(server.address(), 4096)) {
            reader.sendText("{\"type\":\"join\",\"room\":\"slow\",\"name\":\"reader\"}");
            String readerId = reader.next("joined").path("id").asText();
            sender.socket().next("peer-joined");
            String data = "\"" + "x".repeat(60_000) + "\"";
            int sent = 0;
            boolean cutOff = false;
            // 200 messages of 60 kB are 12 MB; the server's high-water mark per connection is 4 MiB.
            while (sent < 200 && !cutOff) {
                sender.socket().sendText("{\"type\":\"signal\",\"to\":\"" + readerId + "\",\"data\":" + data + "}");
                sent++;
                RawWebSocket.Frame frame = sender.socket().next(Duration.ofMillis(20));
                if (frame != null && frame.opcode() == 1) {
                    JsonNode message = RawWebSocket.JSON.readTree(frame.text());
                    cutOff = message.path("type").asText().equals("peer-left")
                            || message.path("code").asText().equals("unknown-peer");
                }
            }
            if (!cutOff) {
                JsonNode left = sender.socket().next("peer-left");
                assertThat(left.path("id").asText()).isEqualTo(readerId);
            }
            assertThat(sent).as("cut off before all 12 MB were queued for it").isLessThan(200);
            assertThat(reader.awaitClose(Duration.ofSeconds(10))).as("closed by the server").isIn(1008, -1);
        }
    }

    private Socket connect() throws IOException {
        return connect(server.address());
    }

    private static Socket connect(java.net.InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5000);
        return socket;
    }

    private static void assertClosedByServer(Socket socket) throws IOException {
        socket.setSoTimeout((int) WAIT.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // a 408 or whatever came before the close
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection from " + socket.getLocalSocketAddress() + " left open", e);
        } catch (IOException reset) {
            // closed by the server: fine
        }
    }

    private static boolean closeOf(RawWebSocket socket) throws IOException {
        socket.socket().setSoTimeout((int) WAIT.toMillis());
        InputStream in = socket.socket().getInputStream();
        try {
            while (in.read() >= 0) {
                // pings and the close frame, unanswered
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
