package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node that loses Redis says so (readiness and metrics), keeps its connections and relays between its own peers,
 * and when Redis is back hands its peers over again without a restart, so that nothing is lost or numbered twice.
 */
class ClusterRedisOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    private TestServer node(URI redis, String id, Duration grace) {
        return keep(TestServer.start(TestServer.clusterConfig(redis, id).resumeGrace(grace)));
    }

    private static String signal(String to, int seq, String id) {
        return "{\"type\":\"signal\",\"to\":\"" + to + "\",\"data\":{\"seq\":" + seq + "}" + (id == null ? "" : ",\"id\":\"" + id + "\"") + "}";
    }

    @Test
    void nodesReportLosingRedisRelayBetweenTheirOwnPeersAndRecoverWhenAnEmptyRedisReturns() {
        RedisServer redis = keep(RedisServer.start());
        TestServer a = node(redis.uri(), "a", Duration.ofSeconds(20));
        TestServer b = node(redis.uri(), "b", Duration.ofSeconds(20));
        TestServer.Member alice = a.join("outage", "Alice");
        TestServer.Member bob = b.join("outage", "Bob");
        TestServer.Member carol = a.join("outage", "Carol");
        alice.socket().next("peer-joined");
        alice.socket().next("peer-joined");
        bob.socket().next("peer-joined");
        long carolDeliveries = 0;

        redis.stop();
        await().atMost(WAIT).until(() -> !a.server.clusterHealthy() && !b.server.clusterHealthy());
        assertThat(a.gauge("switchboard.signaling.cluster.up", null, null)).isZero();
        assertThat(a.counter("switchboard.signaling.cluster.outages", null, null)).isEqualTo(1.0);

        alice.socket().sendText(signal(carol.id(), 1, "local"));
        assertThat(alice.socket().next("ack").path("id").asText()).isEqualTo("local");
        assertThat(carol.socket().next("signal").path("data").path("seq").asInt()).isEqualTo(1);
        carolDeliveries++;
        alice.socket().sendText(signal(bob.id(), 2, "remote"));
        JsonNode refused = alice.socket().next("error");
        assertThat(refused.path("code").asText()).isEqualTo("unavailable");
        assertThat(refused.path("id").asText()).isEqualTo("remote");
        TestSocket newcomer = a.connect();
        newcomer.sendText("{\"type\":\"join\",\"room\":\"outage\"}");
        assertThat(newcomer.awaitClose()).as("try again later").isEqualTo(1013);

        redis.restart();
        await().atMost(WAIT).until(() -> a.server.clusterHealthy() && b.server.clusterHealthy());
        assertThat(a.gauge("switchboard.signaling.cluster.up", null, null)).isEqualTo(1.0);
        assertThat(a.counter("switchboard.signaling.cluster.recoveries", null, null)).isEqualTo(1.0);

        alice.socket().sendText(signal(bob.id(), 3, "again"));
        assertThat(alice.socket().next("ack").path("id").asText()).isEqualTo("again");
        assertThat(bob.socket().next("signal").path("data").path("seq").asInt()).isEqualTo(3);
        bob.socket().sendText(signal(carol.id(), 4, null));
        assertThat(carol.socket().next("signal").path("data").path("seq").asInt()).isEqualTo(4);
        carolDeliveries++;

        TestServer.Member dave = b.join("outage", "Dave");
        assertThat(RoomProtocolTest.ids(dave.joined().path("peers"))).containsExactly(alice.id(), bob.id(), carol.id());
        assertThat(carol.socket().next("peer-joined").path("peer").path("id").asText()).isEqualTo(dave.id());
        carolDeliveries++;

        carol.socket().abort();
        TestSocket back = b.connect();
        back.sendText("{\"type\":\"join\",\"room\":\"outage\",\"resume\":\"" + carol.resume() + "\",\"received\":"
                + carolDeliveries + "}");
        JsonNode resumed = back.next("joined");
        assertThat(resumed.path("id").asText()).isEqualTo(carol.id());
        alice.socket().sendText(signal(carol.id(), 5, null));
        assertThat(back.next("signal").path("data").path("seq").asInt()).as("nothing replayed twice").isEqualTo(5);
    }

    @Test
    void aNodeCutOffFromRedisHandsItsPeersBackWithTheirMessagesInTheOrderTheySawThem() throws Exception {
        RedisServer redis = keep(RedisServer.start());
        CuttableProxy link = keep(new CuttableProxy(new InetSocketAddress("127.0.0.1", redis.port())));
        TestServer a = node(URI.create("redis://127.0.0.1:" + link.port()), "a", Duration.ofSeconds(30));
        TestServer b = node(redis.uri(), "b", Duration.ofSeconds(30));
        TestServer.Member alice = a.join("cut", "Alice");
        TestServer.Member bob = b.join("cut", "Bob");
        TestServer.Member carol = a.join("cut", "Carol");
        List<String> seenByAlice = new ArrayList<>();
        seenByAlice.add(alice.socket().nextText()); // peer-joined bob
        seenByAlice.add(alice.socket().nextText()); // peer-joined carol
        bob.socket().next("peer-joined");

        link.cut();
        await().atMost(WAIT).until(() -> !a.server.clusterHealthy());
        await().atMost(WAIT).until(() -> b.counter("switchboard.signaling.cluster.reaped", null, null) == 2.0);
        assertThat(b.server.clusterHealthy()).isTrue();
        for (int i = 0; i < 5; i++) {
            carol.socket().sendText(signal(alice.id(), i, null));
            bob.socket().sendText(signal(alice.id(), 100 + i, "b" + i));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(bob.socket().next("ack").path("id").asText()).isEqualTo("b" + i);
        }
        for (int i = 0; i < 5; i++) {
            String text = alice.socket().nextText();
            seenByAlice.add(text);
            assertThat(TestSocket.JSON.readTree(text).path("data").path("seq").asInt()).isEqualTo(i);
        }
        carol.socket().sendClose(1000); // leaves while her node cannot tell Redis

        link.restore();
        await().atMost(WAIT).until(a.server::clusterHealthy);
        for (int i = 0; i < 5; i++) {
            String text = alice.socket().nextText();
            seenByAlice.add(text);
            assertThat(TestSocket.JSON.readTree(text).path("data").path("seq").asInt()).isEqualTo(100 + i);
        }
        String left = alice.socket().nextText();
        seenByAlice.add(left);
        assertThat(TestSocket.JSON.readTree(left).path("id").asText()).isEqualTo(carol.id());
        assertThat(bob.socket().next("peer-left").path("id").asText()).isEqualTo(carol.id());

        // Redis now numbers alice's deliveries exactly as she counted them: a resume after the first two replays the rest
        alice.socket().abort();
        TestSocket back = b.connect();
        back.sendText("{\"type\":\"join\",\"room\":\"cut\",\"resume\":\"" + alice.resume() + "\",\"received\":2}");
        JsonNode joined = back.next("joined");
        assertThat(RoomProtocolTest.ids(joined.path("peers"))).containsExactly(bob.id());
        List<String> replayed = new ArrayList<>();
        for (int i = 2; i < seenByAlice.size(); i++) {
            replayed.add(back.nextText());
        }
        assertThat(replayed).isEqualTo(seenByAlice.subList(2, seenByAlice.size()));
        back.sync("end");
        assertThat(back.pending()).isEmpty();
    }
}
