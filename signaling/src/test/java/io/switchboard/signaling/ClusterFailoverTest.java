package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When a node dies (its Redis connection and its sockets close with no goodbye), its peers resume on any other node
 * with their id, room and every message sent to them meanwhile; the others see nothing, unless a peer stays away
 * longer than its grace period.
 */
class ClusterFailoverTest {
    private static RedisServer redis;
    private final List<TestServer> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(TestServer::close);
        redis.command("FLUSHALL");
    }

    private TestServer node(String id) {
        return node(TestServer.clusterConfig(redis.uri(), id));
    }

    private TestServer node(SignalingConfig.Builder config) {
        TestServer node = TestServer.start(config);
        nodes.add(node);
        return node;
    }

    private static String signal(String to, int seq) {
        return "{\"type\":\"signal\",\"to\":\"" + to + "\",\"data\":{\"seq\":" + seq + "}}";
    }

    private static String resume(String room, TestServer.Member member, long received) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\",\"resume\":\"" + member.resume() + "\""
                + (received >= 0 ? ",\"received\":" + received : "") + "}";
    }

    /** What one client got: its delivery count (as a client counts for resume) and the signals per sender. */
    private static final class Received {
        long deliveries;
        final Map<String, List<Integer>> signals = new HashMap<>();
        final List<String> peerLeft = new ArrayList<>();

        void take(JsonNode message) {
            switch (message.path("type").asText()) {
                case "signal":
                    deliveries++;
                    signals.computeIfAbsent(message.path("from").asText(), k -> new ArrayList<>())
                            .add(message.path("data").path("seq").asInt());
                    break;
                case "peer-joined":
                    deliveries++;
                    break;
                case "peer-left":
                    deliveries++;
                    peerLeft.add(message.path("id").asText());
                    break;
                default:
                    break;
            }
        }

        List<Integer> from(String peer) {
            return signals.getOrDefault(peer, List.of());
        }

        /** Reads from {@code socket} until {@code peer} has sent {@code count} signals. */
        void readUntil(TestSocket socket, String peer, int count) {
            while (from(peer).size() < count) {
                take(socket.next());
            }
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> list = new ArrayList<>();
        for (int i = from; i < to; i++) {
            list.add(i);
        }
        return list;
    }

    @Test
    void peersOfACrashedNodeResumeOnAnotherNodeWithNothingLostInEitherDirectionAndOthersSeeNoPeerLeft() {
        // a backlog that holds everything sent to bob in this test, however little he read before the crash
        TestServer a = node(TestServer.clusterConfig(redis.uri(), "a").resumeBacklog(2000));
        TestServer b = node(TestServer.clusterConfig(redis.uri(), "b").resumeBacklog(2000));
        TestServer c = node(TestServer.clusterConfig(redis.uri(), "c").resumeBacklog(2000));
        TestServer.Member alice = a.join("call", "Alice");
        TestServer.Member bob = b.join("call", "Bob");
        TestServer.Member carol = c.join("call", "Carol");
        Received atAlice = new Received();
        Received atBob = new Received();
        Received atCarol = new Received();
        atAlice.take(alice.socket().next("peer-joined"));
        atAlice.take(alice.socket().next("peer-joined"));
        atBob.take(bob.socket().next("peer-joined"));

        for (int i = 0; i < 300; i++) {
            alice.socket().sendText(signal(bob.id(), i));
            carol.socket().sendText(signal(bob.id(), i));
            bob.socket().sendText(signal(alice.id(), i));
        }
        atBob.readUntil(bob.socket(), alice.id(), 150); // mid-conversation
        b.server.crash();
        for (int i = 300; i < 600; i++) {
            alice.socket().sendText(signal(bob.id(), i));
            carol.socket().sendText(signal(bob.id(), i));
        }
        bob.socket().awaitClose();
        for (String text : bob.socket().pending()) {
            atBob.take(parse(text));
        }

        TestSocket again = c.connect();
        again.sendText(resume("call", bob, atBob.deliveries));
        JsonNode joined = again.next("joined");
        assertThat(joined.path("id").asText()).isEqualTo(bob.id());
        assertThat(joined.path("resumed").asBoolean()).isTrue();
        assertThat(RoomProtocolTest.ids(joined.path("peers"))).containsExactly(alice.id(), carol.id());
        int accepted = joined.path("received").asInt();
        assertThat(accepted).as("bob's signals the cluster accepted").isBetween(0, 300);
        for (int i = accepted; i < 400; i++) {
            again.sendText(signal(alice.id(), i)); // re-send what the dead node never took, then go on
        }
        atBob.readUntil(again, alice.id(), 600);
        atBob.readUntil(again, carol.id(), 600);
        assertThat(atBob.from(alice.id())).as("every signal from alice, once, in order").isEqualTo(range(0, 600));
        assertThat(atBob.from(carol.id())).as("every signal from carol, once, in order").isEqualTo(range(0, 600));

        atAlice.readUntil(alice.socket(), bob.id(), 400);
        assertThat(atAlice.from(bob.id())).as("every signal from bob, once, in order").isEqualTo(range(0, 400));
        alice.socket().sync("after");
        carol.socket().sync("after");
        for (String text : alice.socket().pending()) {
            atAlice.take(parse(text));
        }
        for (String text : carol.socket().pending()) {
            atCarol.take(parse(text));
        }
        assertThat(atAlice.peerLeft).as("alice saw no peer-left").isEmpty();
        assertThat(atCarol.peerLeft).as("carol saw no peer-left").isEmpty();
        assertThat(c.counter("switchboard.signaling.resumes", "outcome", "resumed")).isEqualTo(1.0);
    }

    private static JsonNode parse(String text) {
        try {
            return TestSocket.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aResumeAfterMoreThanTheBacklogWasSentFailsAndThePeerLeaves() {
        TestServer a = node(TestServer.clusterConfig(redis.uri(), "a").resumeBacklog(10));
        TestServer b = node(TestServer.clusterConfig(redis.uri(), "b").resumeBacklog(10));
        TestServer.Member alice = a.join("flood", "Alice");
        TestServer.Member bob = b.join("flood", "Bob");
        alice.socket().next("peer-joined");
        b.server.crash();
        for (int i = 0; i < 11; i++) {
            alice.socket().sendText(signal(bob.id(), i));
        }
        alice.socket().sync("sent");
        TestSocket again = a.connect();
        again.sendText(resume("flood", bob, 0));
        // trimmed from his inbox while his node was dead (or, once reaped, overflowed): either way he is gone
        assertThat(again.next("error").path("code").asText()).isEqualTo("resume-failed");
        assertThat(alice.socket().next("peer-left").path("id").asText()).isEqualTo(bob.id());
    }

    @Test
    void aPeerOfACrashedNodeThatDoesNotComeBackLeavesWhenTheLeaseAndItsGracePeriodRunOut() {
        TestServer a = node(TestServer.clusterConfig(redis.uri(), "a").resumeGrace(Duration.ofSeconds(1)));
        TestServer b = node(TestServer.clusterConfig(redis.uri(), "b").resumeGrace(Duration.ofSeconds(1)));
        TestServer.Member alice = a.join("gone", "Alice");
        TestServer.Member bob = b.join("gone", "Bob");
        alice.socket().next("peer-joined");
        b.server.crash();
        assertThat(alice.socket().next("peer-left").path("id").asText()).isEqualTo(bob.id());
        assertThat(a.counter("switchboard.signaling.cluster.reaped", null, null)).isEqualTo(1.0);

        TestSocket late = a.connect();
        late.sendText(resume("gone", bob, 0));
        assertThat(late.next("error").path("code").asText()).isEqualTo("resume-failed");
    }

    @Test
    void aResumeOnAnotherNodeTakesOverTheStillOpenConnection() {
        TestServer a = node("a");
        TestServer b = node("b");
        TestServer.Member alice = a.join("takeover", "Alice");
        TestServer.Member bob = a.join("takeover", "Bob");
        alice.socket().next("peer-joined");
        for (int i = 0; i < 3; i++) {
            alice.socket().sendText(signal(bob.id(), i));
            bob.socket().next("signal");
        }

        TestSocket second = b.connect();
        second.sendText(resume("takeover", bob, 1));
        assertThat(second.next("joined").path("id").asText()).isEqualTo(bob.id());
        assertThat(second.next("signal").path("data").path("seq").asInt()).isEqualTo(1);
        assertThat(second.next("signal").path("data").path("seq").asInt()).isEqualTo(2);
        assertThat(bob.socket().next("error").path("code").asText()).isEqualTo("session-replaced");
        assertThat(bob.socket().awaitClose()).isEqualTo(4000);

        alice.socket().sendText(signal(bob.id(), 9));
        assertThat(second.next("signal").path("data").path("seq").asInt()).isEqualTo(9);
        alice.socket().sync("x");
        assertThat(alice.socket().pending()).as("alice saw no peer-left").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.server.peerCount() == 1 && b.server.peerCount() == 1);
    }

    @Test
    void aNodeShuttingDownLetsItsPeersResumeOnAnotherNode() {
        TestServer a = node("a");
        TestServer b = node("b");
        TestServer.Member alice = a.join("restart", "Alice");
        TestServer.Member bob = b.join("restart", "Bob");
        alice.socket().next("peer-joined");
        b.close();
        nodes.remove(b);
        assertThat(bob.socket().next("error").path("code").asText()).isEqualTo("shutting-down");
        assertThat(bob.socket().awaitClose()).isEqualTo(1001);
        for (int i = 0; i < 5; i++) {
            alice.socket().sendText(signal(bob.id(), i));
        }
        alice.socket().sync("sent");

        TestSocket again = a.connect();
        again.sendText(resume("restart", bob, 0));
        assertThat(again.next("joined").path("resumed").asBoolean()).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(again.next("signal").path("data").path("seq").asInt()).isEqualTo(i);
        }
        assertThat(alice.socket().pending()).as("alice saw no peer-left").isEmpty();
    }

    @Test
    void withoutAReceivedCountAResumeElsewhereReplaysWhatTheDropLeftUnwritten() {
        TestServer a = node("a");
        TestServer b = node("b");
        TestServer.Member alice = a.join("count", "Alice");
        TestServer.Member bob = a.join("count", "Bob");
        alice.socket().next("peer-joined");
        alice.socket().sendText(signal(bob.id(), 0));
        assertThat(bob.socket().next("signal").path("data").path("seq").asInt()).isZero();
        bob.socket().abort();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.server.peerCount() == 1);
        for (int i = 1; i < 4; i++) {
            alice.socket().sendText(signal(bob.id(), i));
        }
        alice.socket().sync("sent");

        TestSocket again = b.connect();
        again.sendText(resume("count", bob, -1));
        assertThat(again.next("joined").path("id").asText()).isEqualTo(bob.id());
        for (int i = 1; i < 4; i++) {
            assertThat(again.next("signal").path("data").path("seq").asInt()).isEqualTo(i);
        }
        again.sync("end");
        assertThat(again.pending()).isEmpty();
    }

    @Test
    void aResumeThatClaimsMoreThanWasSentFailsAndThePeerLeaves() {
        TestServer a = node("a");
        TestServer b = node("b");
        TestServer.Member alice = a.join("liar", "Alice");
        TestServer.Member bob = b.join("liar", "Bob");
        alice.socket().next("peer-joined");
        bob.socket().abort();
        TestSocket again = a.connect();
        again.sendText(resume("liar", bob, 5));
        assertThat(again.next("error").path("code").asText()).isEqualTo("resume-failed");
        assertThat(alice.socket().next("peer-left").path("id").asText()).isEqualTo(bob.id());
    }
}
