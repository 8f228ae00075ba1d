package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link SignalingServer#drain()}: clients are sent to another server and no new one gets in. */
class SignalingDrainTest {

    @Test
    void connectedClientsAreToldToReconnectElsewhereThenClosedWith1001() {
        try (TestServer server = TestServer.start()) {
            TestServer.Member alice = server.join("room", "alice");
            TestServer.Member bob = server.join("room", "bob");
            alice.socket().next("peer-joined");

            server.server.drain();

            JsonNode reconnect = alice.socket().next("reconnect");
            assertThat(reconnect.path("reason").asText()).isEqualTo("draining");
            assertThat(reconnect.path("message").asText()).isNotEmpty();
            assertThat(alice.socket().next("error").path("code").asText()).isEqualTo("shutting-down");
            assertThat(alice.socket().awaitClose()).isEqualTo(1001);
            assertThat(bob.socket().next("reconnect").path("reason").asText()).isEqualTo("draining");
            assertThat(bob.socket().awaitClose()).isEqualTo(1001);
        }
    }

    @Test
    void theListenerStopsAcceptingConnections() {
        try (TestServer server = TestServer.start()) {
            server.server.drain();

            assertThatThrownBy(() -> new Socket(server.address().getAddress(), server.address().getPort()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void peersSentAwayKeepTheirPlaceForTheResumeGrace() {
        try (TestServer server = TestServer.start()) {
            TestServer.Member alice = server.join("room", "alice");

            server.server.drain();
            assertThat(alice.socket().awaitClose()).isEqualTo(1001);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.gauge("switchboard.signaling.connections", "transport", "ws") == 0);

            assertThat(server.server.peerCount()).as("the peer is in its resume grace, not gone").isEqualTo(1);
        }
    }
}
