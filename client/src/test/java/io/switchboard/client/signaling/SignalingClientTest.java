package io.switchboard.client.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.signaling.IceServer;
import io.switchboard.signaling.IceServers;
import io.switchboard.signaling.SignalingConfig;
import io.switchboard.signaling.SignalingServer;
import io.switchboard.signaling.SignalingTokens;
import io.switchboard.signaling.http.HttpRoutes;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Java signaling client against the real signaling server on loopback. */
class SignalingClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private SignalingServer server;

    private SignalingServer start(SignalingConfig.Builder config) {
        server = SignalingServer.builder(config.bindAddress(InetAddress.getLoopbackAddress()).port(0)
                        .messageRate(100_000).messageBurst(100_000).build())
                .iceServers(user -> new IceServers("1:" + user.orElse("x"), "pw", Duration.ofHours(1), List.of("stun:127.0.0.1:3478"),
                        List.of(IceServer.stun(List.of("stun:127.0.0.1:3478")))))
                .routes(HttpRoutes.empty())
                .meterRegistry(new SimpleMeterRegistry())
                .threads(2)
                .start();
        return server;
    }

    private URI uri() {
        return URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twoClientsSeeEachOtherAndExchangeSignals() {
        start(SignalingConfig.builder());
        SignalingEventQueue aliceEvents = new SignalingEventQueue();
        SignalingEventQueue bobEvents = new SignalingEventQueue();
        try (SignalingClient alice = SignalingClient.builder(uri()).room("demo").name("Alice").listener(aliceEvents).connect();
             SignalingClient bob = SignalingClient.builder(uri()).room("demo").name("Bob").listener(bobEvents).connect()) {
            SignalingEvent.Joined aliceJoined = aliceEvents.next(SignalingEvent.Joined.class, WAIT);
            assertThat(aliceJoined.peers()).isEmpty();
            assertThat(aliceJoined.id()).isEqualTo(alice.id().orElseThrow());
            assertThat(aliceJoined.iceServers().get(0).path("urls").get(0).asText()).isEqualTo("stun:127.0.0.1:3478");
            SignalingEvent.Joined bobJoined = bobEvents.next(SignalingEvent.Joined.class, WAIT);
            assertThat(bobJoined.peers()).containsExactly(new PeerInfo(alice.id().orElseThrow(), "Alice"));
            PeerInfo newcomer = aliceEvents.next(SignalingEvent.PeerJoined.class, WAIT).peer();
            assertThat(newcomer).isEqualTo(new PeerInfo(bob.id().orElseThrow(), "Bob"));

            alice.sendSignal(newcomer.id(), JSON.createObjectNode().put("sdp", "offer")).join();
            SignalingEvent.Signal offer = bobEvents.next(SignalingEvent.Signal.class, WAIT);
            assertThat(offer.from()).isEqualTo(alice.id().orElseThrow());
            assertThat(offer.data().path("sdp").asText()).isEqualTo("offer");
            bob.sendSignalJson(offer.from(), "{\"sdp\":\"answer\"}");
            assertThat(aliceEvents.next(SignalingEvent.Signal.class, WAIT).data().path("sdp").asText()).isEqualTo("answer");
        }
    }

    @Test
    void closingLeavesTheRoomAtOnce() {
        start(SignalingConfig.builder());
        SignalingEventQueue aliceEvents = new SignalingEventQueue();
        try (SignalingClient alice = SignalingClient.builder(uri()).room("bye").listener(aliceEvents).connect()) {
            SignalingClient bob = SignalingClient.builder(uri()).room("bye").connect();
            String bobId = bob.id().orElseThrow();
            aliceEvents.next(SignalingEvent.PeerJoined.class, WAIT);
            bob.close();
            assertThat(aliceEvents.next(SignalingEvent.PeerLeft.class, WAIT).id()).isEqualTo(bobId);
            assertThat(bob.sendSignalJson("x", "1")).isCompletedExceptionally();
        }
    }

    @Test
    void aRefusedJoinFailsTheConnectWithTheServersCode() {
        start(SignalingConfig.builder().roomCapacity(1).signalingSecret("0123456789abcdef0123"));
        String token = SignalingTokens.mint("0123456789abcdef0123", "small", Duration.ofMinutes(1), Clock.systemUTC());
        assertThatThrownBy(() -> SignalingClient.builder(uri()).room("small").connect())
                .isInstanceOf(SignalingException.class)
                .extracting(e -> ((SignalingException) e).code()).isEqualTo("unauthorized");
        try (SignalingClient first = SignalingClient.builder(uri()).room("small").token(token).connect()) {
            assertThat(first.isJoined()).isTrue();
            assertThatThrownBy(() -> SignalingClient.builder(uri()).room("small").token(token).connect())
                    .isInstanceOf(SignalingException.class)
                    .extracting(e -> ((SignalingException) e).code()).isEqualTo("room-full");
        }
    }

    @Test
    void anUnreachableServerFailsTheConnect() {
        start(SignalingConfig.builder());
        URI nowhere = uri();
        server.close();
        server = null;
        assertThatThrownBy(() -> SignalingClient.builder(nowhere).room("r").connect())
                .isInstanceOf(SignalingException.class)
                .extracting(e -> ((SignalingException) e).code()).isEqualTo("connect-failed");
    }

    @Test
    void afterADroppedConnectionTheClientResumesAndNothingIsLostEitherWay() throws Exception {
        start(SignalingConfig.builder());
        SignalingEventQueue aliceEvents = new SignalingEventQueue();
        SignalingEventQueue bobEvents = new SignalingEventQueue();
        try (SignalingClient alice = SignalingClient.builder(uri()).room("resume").listener(aliceEvents).connect();
             SignalingClient bob = SignalingClient.builder(uri()).room("resume").listener(bobEvents)
                     .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)).connect()) {
            String aliceId = alice.id().orElseThrow();
            String bobId = bob.id().orElseThrow();
            aliceEvents.next(SignalingEvent.PeerJoined.class, WAIT);

            for (int i = 0; i < 100; i++) {
                alice.sendSignalJson(bobId, "{\"seq\":" + i + "}");
                if (i == 50) {
                    bob.abortConnection();
                }
            }
            CompletableFuture<Void> last = null;
            for (int i = 0; i < 100; i++) {
                last = bob.sendSignalJson(aliceId, "{\"seq\":" + i + "}");
            }
            last.get();

            List<SignalingEvent.Joined> joins = new java.util.ArrayList<>();
            List<Integer> atBob = new java.util.ArrayList<>();
            while (atBob.size() < 100) {
                SignalingEvent event = bobEvents.poll(WAIT).orElseThrow(() -> new AssertionError("bob got " + atBob));
                if (event instanceof SignalingEvent.Signal) {
                    atBob.add(((SignalingEvent.Signal) event).data().path("seq").asInt());
                } else if (event instanceof SignalingEvent.Joined) {
                    joins.add((SignalingEvent.Joined) event);
                }
            }
            assertThat(atBob).containsExactlyElementsOf(range(100));
            assertThat(joins).hasSize(2);
            assertThat(joins.get(1).resumed()).isTrue();
            assertThat(joins.get(1).id()).isEqualTo(bobId);
            List<Integer> atAlice = new java.util.ArrayList<>();
            while (atAlice.size() < 100) {
                atAlice.add(aliceEvents.next(SignalingEvent.Signal.class, WAIT).data().path("seq").asInt());
            }
            assertThat(atAlice).containsExactlyElementsOf(range(100));
            assertThat(aliceEvents.drain(SignalingEvent.PeerLeft.class)).isEmpty();
        }
    }

    @Test
    void whenTheGracePeriodIsOverTheClientJoinsAfreshWithANewId() {
        start(SignalingConfig.builder().resumeGrace(Duration.ofMillis(100)));
        SignalingEventQueue aliceEvents = new SignalingEventQueue();
        SignalingEventQueue bobEvents = new SignalingEventQueue();
        try (SignalingClient alice = SignalingClient.builder(uri()).room("late").listener(aliceEvents).connect();
             SignalingClient bob = SignalingClient.builder(uri()).room("late").listener(bobEvents)
                     .reconnectBackoff(Duration.ofMillis(1500), Duration.ofSeconds(2)).connect()) {
            String oldId = bob.id().orElseThrow();
            bobEvents.next(SignalingEvent.Joined.class, WAIT);
            bob.abortConnection();
            assertThat(bobEvents.next(SignalingEvent.Disconnected.class, WAIT).reconnecting()).isTrue();
            assertThat(aliceEvents.next(SignalingEvent.PeerLeft.class, WAIT).id()).isEqualTo(oldId);
            assertThat(bobEvents.next(SignalingEvent.Error.class, WAIT).code()).isEqualTo("resume-failed");
            SignalingEvent.Joined fresh = bobEvents.next(SignalingEvent.Joined.class, WAIT);
            assertThat(fresh.resumed()).isFalse();
            assertThat(fresh.id()).isNotEqualTo(oldId).isEqualTo(bob.id().orElseThrow());
            assertThat(fresh.peers()).extracting(PeerInfo::id).containsExactly(alice.id().orElseThrow());
            assertThat(aliceEvents.next(SignalingEvent.PeerJoined.class, WAIT).peer().id()).isEqualTo(fresh.id());
        }
    }

    @Test
    void aQuietClientStaysConnectedThroughServerPings() {
        start(SignalingConfig.builder().pingInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofSeconds(1)));
        SignalingEventQueue events = new SignalingEventQueue();
        try (SignalingClient quiet = SignalingClient.builder(uri()).room("quiet").listener(events).heartbeat(Duration.ZERO).connect()) {
            assertThat(events.poll(Duration.ofMillis(1500)).map(Object::getClass)).contains(SignalingEvent.Joined.class);
            assertThat(events.poll(Duration.ofMillis(2500))).as("no disconnect for over twice the idle timeout").isEmpty();
            assertThat(quiet.isJoined()).isTrue();
        }
    }

    @Test
    void unknownPeerErrorsReachTheListenerAndTheSessionGoesOn() {
        start(SignalingConfig.builder());
        SignalingEventQueue events = new SignalingEventQueue();
        try (SignalingClient client = SignalingClient.builder(uri()).room("err").listener(events).connect()) {
            client.sendSignalJson("ghost", "{}");
            assertThat(events.next(SignalingEvent.Error.class, WAIT).code()).isEqualTo("unknown-peer");
            assertThat(client.isJoined()).isTrue();
        }
    }

    private static List<Integer> range(int n) {
        return java.util.stream.IntStream.range(0, n).boxed().toList();
    }
}
