package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Messages between two peers arrive in the order sent, also under load and in both directions at once. */
class RelayOrderTest {
    private static final int MESSAGES = 10_000;

    @Test
    void tenThousandSignalsEachWayArriveInOrder() throws Exception {
        try (TestServer server = TestServer.start()) {
            TestServer.Member alice = server.join("load", "Alice");
            TestServer.Member bob = server.join("load", "Bob");
            alice.socket().next("peer-joined");

            CompletableFuture<Void> aliceSends = CompletableFuture.runAsync(() -> sendAll(alice, bob.id()));
            CompletableFuture<Void> bobSends = CompletableFuture.runAsync(() -> sendAll(bob, alice.id()));
            CompletableFuture<Void> bobReceives = CompletableFuture.runAsync(() -> receiveAll(bob, alice.id()));
            receiveAll(alice, bob.id());
            bobReceives.get();
            aliceSends.get();
            bobSends.get();
            // the counter is bumped just after the frame is handed over, so the last increment may trail the delivery
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.counter("switchboard.signaling.messages.relayed", null, null) == 2.0 * MESSAGES);
        }
    }

    private static void sendAll(TestServer.Member from, String to) {
        for (int i = 0; i < MESSAGES; i++) {
            from.socket().sendText("{\"type\":\"signal\",\"to\":\"" + to + "\",\"data\":{\"seq\":" + i + ",\"candidate\":\"candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host\"}}");
        }
    }

    private static void receiveAll(TestServer.Member at, String from) {
        for (int i = 0; i < MESSAGES; i++) {
            JsonNode signal = at.socket().next("signal");
            assertThat(signal.path("from").asText()).isEqualTo(from);
            assertThat(signal.path("data").path("seq").asInt()).isEqualTo(i);
        }
    }
}
