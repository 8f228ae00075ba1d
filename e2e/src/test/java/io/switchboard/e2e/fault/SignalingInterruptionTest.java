package io.switchboard.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.client.signaling.SignalingClient;
import io.switchboard.client.signaling.SignalingEvent;
import io.switchboard.client.signaling.SignalingListener;
import io.switchboard.e2e.SwitchboardProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A network interruption of signaling connections in the middle of a conversation: every TCP connection between two
 * Java SDK clients and the real jar is reset while signals are in flight both ways, and more are sent while the
 * clients are still reconnecting. Both resume with their peer ids, and each receives every signal the other sent,
 * exactly once and in order.
 */
class SignalingInterruptionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void resumeAfterTheNetworkResetsEveryConnectionDeliversEverySignalOnceAndInOrder() throws Exception {
        try (SwitchboardProcess server = SwitchboardProcess.serve("--tls", "false");
             CutProxy network = new CutProxy(server.listener("http"))) {
            URI uri = URI.create("ws://127.0.0.1:" + network.port() + "/ws");
            Received toAlice = new Received();
            Received toBob = new Received();
            try (SignalingClient alice = SignalingClient.builder(uri).room("cut").name("alice").listener(toAlice)
                    .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).connect();
                 SignalingClient bob = SignalingClient.builder(uri).room("cut").name("bob").listener(toBob)
                         .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).connect()) {
                String aliceId = alice.id().orElseThrow();
                String bobId = bob.id().orElseThrow();
                int sent = 0;
                for (; sent < 20; sent++) {
                    alice.sendSignalJson(bobId, "{\"seq\":" + (sent + 1) + "}");
                    bob.sendSignalJson(aliceId, "{\"seq\":" + (sent + 1) + "}");
                }
                await().atMost(WAIT).until(() -> toBob.seqs.size() == 20 && toAlice.seqs.size() == 20);

                // A burst, and the network fails in the middle of it.
                for (; sent < 120; sent++) {
                    alice.sendSignalJson(bobId, "{\"seq\":" + (sent + 1) + "}");
                    bob.sendSignalJson(aliceId, "{\"seq\":" + (sent + 1) + "}");
                }
                assertThat(network.cutAll()).as("connections reset").isGreaterThanOrEqualTo(4);
                // More while the clients are reconnecting.
                for (; sent < 170; sent++) {
                    alice.sendSignalJson(bobId, "{\"seq\":" + (sent + 1) + "}");
                    bob.sendSignalJson(aliceId, "{\"seq\":" + (sent + 1) + "}");
                }
                int total = sent;
                await("everything delivered after the resume").atMost(WAIT)
                        .until(() -> toBob.seqs.size() >= total && toAlice.seqs.size() >= total);
                for (Received received : List.of(toAlice, toBob)) {
                    assertThat(received.resumed).as("resumed, not joined afresh").isTrue();
                    assertThat(received.rejoined).isFalse();
                    List<Long> expected = new ArrayList<>();
                    for (long seq = 1; seq <= total; seq++) {
                        expected.add(seq);
                    }
                    assertThat(received.seqs).as("every signal once, in order").containsExactlyElementsOf(expected);
                }
                assertThat(alice.id()).hasValue(aliceId);
                assertThat(bob.id()).hasValue(bobId);
            }
        }
    }

    /** What one client received: the sequence numbers of signals, and whether it resumed. */
    private static final class Received implements SignalingListener {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        volatile boolean resumed;
        volatile boolean rejoined;
        private boolean first = true;

        @Override
        public void onEvent(SignalingEvent event) {
            if (event instanceof SignalingEvent.Signal) {
                seqs.add(((SignalingEvent.Signal) event).data().path("seq").asLong());
            } else if (event instanceof SignalingEvent.Joined) {
                if (!first) {
                    boolean wasResumed = ((SignalingEvent.Joined) event).resumed();
                    resumed |= wasResumed;
                    rejoined |= !wasResumed;
                }
                first = false;
            }
        }
    }
}
