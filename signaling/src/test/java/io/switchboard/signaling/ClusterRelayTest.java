package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nodes sharing one real Redis form one signaling service: rooms span nodes and signals cross them in order. */
class ClusterRelayTest {
    /** Each way: 10,000 signals exchanged in all. */
    private static final int MESSAGES = 5_000;
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

    @Test
    void peersOnTwoNodesJoinOneRoomSeeEachOtherAndExchangeTenThousandSignalsInOrder() throws Exception {
        // the default lease: with Netty's paranoid leak detection this burst keeps two cores busy for seconds
        TestServer a = node(TestServer.clusterConfig(redis.uri(), "a").clusterLease(SignalingConfig.DEFAULT_CLUSTER_LEASE));
        TestServer b = node(TestServer.clusterConfig(redis.uri(), "b").clusterLease(SignalingConfig.DEFAULT_CLUSTER_LEASE));
        TestServer.Member alice = a.join("load", "Alice");
        TestServer.Member bob = b.join("load", "Bob");
        assertThat(bob.joined().path("peers")).hasSize(1);
        assertThat(bob.joined().path("peers").get(0).path("id").asText()).isEqualTo(alice.id());
        assertThat(bob.joined().path("peers").get(0).path("name").asText()).isEqualTo("Alice");
        JsonNode announced = alice.socket().next("peer-joined");
        assertThat(announced.path("peer").path("id").asText()).isEqualTo(bob.id());
        assertThat(announced.path("peer").path("name").asText()).isEqualTo("Bob");

        CompletableFuture<Void> aliceSends = CompletableFuture.runAsync(() -> sendAll(alice, bob.id()));
        CompletableFuture<Void> bobSends = CompletableFuture.runAsync(() -> sendAll(bob, alice.id()));
        CompletableFuture<Void> bobReceives = CompletableFuture.runAsync(() -> receiveAll(bob, alice.id()));
        receiveAll(alice, bob.id());
        bobReceives.get();
        aliceSends.get();
        bobSends.get();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                a.counter("switchboard.signaling.messages.relayed", null, null) == MESSAGES
                        && b.counter("switchboard.signaling.messages.relayed", null, null) == MESSAGES);
        assertThat(a.counter("switchboard.signaling.cluster.deliveries", null, null)).isGreaterThanOrEqualTo(MESSAGES);
        assertThat(a.counter("switchboard.signaling.errors", "code", "unavailable")).isZero();
        assertThat(a.server.clusterHealthy()).isTrue();
        assertThat(a.gauge("switchboard.signaling.cluster.up", null, null)).isEqualTo(1.0);
    }

    private static void sendAll(TestServer.Member from, String to) {
        for (int i = 0; i < MESSAGES; i++) {
            from.socket().sendText("{\"type\":\"signal\",\"to\":\"" + to + "\",\"data\":{\"seq\":" + i
                    + ",\"candidate\":\"candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host\"}}");
        }
    }

    private static void receiveAll(TestServer.Member at, String from) {
        for (int i = 0; i < MESSAGES; i++) {
            JsonNode signal = at.socket().next("signal");
            assertThat(signal.path("from").asText()).isEqualTo(from);
            assertThat(signal.path("data").path("seq").asInt()).isEqualTo(i);
        }
    }

    @Test
    void threeNodesShareARoomWithOneMembershipOrderAndPerPairOrder() {
        TestServer a = node("a");
        TestServer b = node("b");
        TestServer c = node("c");
        TestServer.Member alice = a.join("trio", "Alice");
        TestServer.Member bob = b.join("trio", "Bob");
        TestServer.Member carol = c.join("trio", "Carol");
        assertThat(RoomProtocolTest.ids(carol.joined().path("peers"))).containsExactly(alice.id(), bob.id());
        assertThat(alice.socket().next("peer-joined").path("peer").path("id").asText()).isEqualTo(bob.id());
        assertThat(alice.socket().next("peer-joined").path("peer").path("id").asText()).isEqualTo(carol.id());
        assertThat(bob.socket().next("peer-joined").path("peer").path("id").asText()).isEqualTo(carol.id());

        TestServer.Member[] members = {alice, bob, carol};
        for (int i = 0; i < 300; i++) {
            for (TestServer.Member from : members) {
                for (TestServer.Member to : members) {
                    if (from != to) {
                        from.socket().sendText(signal(to.id(), i));
                    }
                }
            }
        }
        for (TestServer.Member at : members) {
            int[] next = new int[members.length];
            for (int n = 0; n < 600; n++) {
                JsonNode signal = at.socket().next("signal");
                int sender = indexOf(members, signal.path("from").asText());
                assertThat(signal.path("data").path("seq").asInt()).as("signal from %s", sender).isEqualTo(next[sender]);
                next[sender]++;
            }
        }

        bob.socket().sendText("{\"type\":\"leave\",\"id\":\"bye\"}");
        JsonNode left = bob.socket().next("left");
        assertThat(left.path("id").asText()).isEqualTo("bye");
        assertThat(alice.socket().next("peer-left").path("id").asText()).isEqualTo(bob.id());
        assertThat(carol.socket().next("peer-left").path("id").asText()).isEqualTo(bob.id());
        TestServer.Member dave = a.join("trio", "Dave");
        assertThat(RoomProtocolTest.ids(dave.joined().path("peers"))).containsExactly(alice.id(), carol.id());
    }

    private static int indexOf(TestServer.Member[] members, String id) {
        for (int i = 0; i < members.length; i++) {
            if (members[i].id().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("signal from a stranger: " + id);
    }

    @Test
    void aSignalToAPeerNotInTheRoomIsAnErrorOnEveryNodeAndAcksComeInRequestOrder() {
        TestServer a = node("a");
        TestServer b = node("b");
        TestServer.Member alice = a.join("errors", "Alice");
        TestServer.Member bob = b.join("errors", "Bob");
        TestServer.Member stranger = b.join("elsewhere", "Stranger");
        alice.socket().next("peer-joined");

        alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + stranger.id() + "\",\"data\":1,\"id\":1}");
        alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + bob.id() + "\",\"data\":2,\"id\":2}");
        alice.socket().sendText("{\"type\":\"signal\",\"to\":\"no such peer!\",\"data\":3,\"id\":3}");
        alice.socket().sendText("{\"type\":\"ping\",\"id\":4}");
        JsonNode first = alice.socket().next("error");
        assertThat(first.path("code").asText()).isEqualTo("unknown-peer");
        assertThat(first.path("peer").asText()).isEqualTo(stranger.id());
        assertThat(first.path("id").asInt()).isEqualTo(1);
        assertThat(alice.socket().next("ack").path("id").asInt()).isEqualTo(2);
        JsonNode third = alice.socket().next("error");
        assertThat(third.path("code").asText()).isEqualTo("unknown-peer");
        assertThat(third.path("id").asInt()).isEqualTo(3);
        assertThat(alice.socket().next("pong").path("id").asInt()).isEqualTo(4);
        assertThat(bob.socket().next("signal").path("data").asInt()).isEqualTo(2);
        assertThat(stranger.socket().pending()).isEmpty();
        assertThat(a.counter("switchboard.signaling.errors", "code", "unknown-peer")).isEqualTo(2.0);
    }

    @Test
    void roomCapacityCountsThePeersOfEveryNode() {
        TestServer a = node(TestServer.clusterConfig(redis.uri(), "a").roomCapacity(2));
        TestServer b = node(TestServer.clusterConfig(redis.uri(), "b").roomCapacity(2));
        a.join("small", "Alice");
        b.join("small", "Bob");
        TestSocket third = a.connect();
        third.sendText("{\"type\":\"join\",\"room\":\"small\",\"id\":\"j\"}");
        JsonNode error = third.next("error");
        assertThat(error.path("code").asText()).isEqualTo("room-full");
        assertThat(error.path("id").asText()).isEqualTo("j");
    }

    @Test
    void aPeerOnTheHttpFallbackAndAWebSocketPeerOnAnotherNodeSignalEachOther() {
        TestServer a = node("a");
        TestServer b = node("b");
        TestServer.Member alice = a.join("mixed", "Alice");
        try (SseClient sse = new SseClient(b.uri("/"))) {
            assertThat(sse.post("{\"type\":\"join\",\"room\":\"mixed\",\"name\":\"Bob\"}")).isEqualTo(202);
            JsonNode joined = sse.next("joined");
            String bob = joined.path("id").asText();
            assertThat(RoomProtocolTest.ids(joined.path("peers"))).containsExactly(alice.id());
            assertThat(alice.socket().next("peer-joined").path("peer").path("id").asText()).isEqualTo(bob);
            alice.socket().sendText(signal(bob, 1));
            assertThat(sse.next("signal").path("data").path("seq").asInt()).isEqualTo(1);
            assertThat(sse.post(signal(alice.id(), 2))).isEqualTo(202);
            assertThat(alice.socket().next("signal").path("data").path("seq").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aNodeWithoutRedisStaysStandaloneAndHealthy() {
        TestServer standalone = node(TestServer.config());
        assertThat(standalone.server.clusterHealthy()).isTrue();
        assertThat(standalone.server.nodeId()).isEmpty();
        assertThat(standalone.registry.find("switchboard.signaling.cluster.up").gauge()).isNull();
        TestServer.Member alice = standalone.join("solo", "Alice");
        assertThat(alice.id()).hasSize(12);
        assertThat(redis.command("DBSIZE")).as("nothing written to Redis").isEqualTo(":0");
    }
}
