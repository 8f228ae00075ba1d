package io.switchboard.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.client.signaling.SignalingClient;
import io.switchboard.client.signaling.SignalingEvent;
import io.switchboard.client.signaling.SignalingListener;
import io.switchboard.e2e.RedisProcess;
import io.switchboard.e2e.SwitchboardProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Three {@code switchboard serve} processes sharing one real Redis: {@code kill -9} of one node in the middle of a
 * conversation loses no signal in either direction; its peers come back through the load balancer on another node
 * with the same id, and the others never see them leave.
 */
class NodeKillTest {
    private static final int SIGNALS = 2000;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static SwitchboardProcess node(RedisProcess redis, String id) {
        return SwitchboardProcess.serve("--redis", redis.url(), "--node-id", id,
                "--message-rate", "5000", "--message-burst", "5000");
    }

    private static URI webSocket(InetSocketAddress http) {
        return URI.create("ws://" + http.getHostString() + ":" + http.getPort() + "/ws");
    }

    /** Everything one client was told, in order. */
    private static final class Recorder implements SignalingListener {
        final Map<String, List<Integer>> signals = new ConcurrentHashMap<>();
        final List<String> left = new CopyOnWriteArrayList<>();
        final List<String> joinedPeers = new CopyOnWriteArrayList<>();
        final List<SignalingEvent.Joined> joins = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(SignalingEvent event) {
            if (event instanceof SignalingEvent.Signal) {
                SignalingEvent.Signal signal = (SignalingEvent.Signal) event;
                signals.computeIfAbsent(signal.from(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(signal.data().path("seq").asInt());
            } else if (event instanceof SignalingEvent.PeerJoined) {
                joinedPeers.add(((SignalingEvent.PeerJoined) event).peer().id());
            } else if (event instanceof SignalingEvent.PeerLeft) {
                left.add(((SignalingEvent.PeerLeft) event).id());
            } else if (event instanceof SignalingEvent.Joined) {
                joins.add((SignalingEvent.Joined) event);
            }
        }

        int count(String from) {
            return signals.getOrDefault(from, List.of()).size();
        }

        List<Integer> from(String peer) {
            synchronized (signals.getOrDefault(peer, List.of())) {
                return List.copyOf(signals.getOrDefault(peer, List.of()));
            }
        }
    }

    private static void sendAll(SignalingClient from, String to) {
        for (int i = 0; i < SIGNALS; i++) {
            from.sendSignalJson(to, "{\"seq\":" + i + "}");
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<Integer> upTo(int count) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(i);
        }
        return list;
    }

    @Test
    void killingANodeMidConversationLosesNoSignalAndItsPeerResumesOnAnotherNodeUnnoticed() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             SwitchboardProcess n1 = node(redis, "n1");
             SwitchboardProcess n2 = node(redis, "n2");
             SwitchboardProcess n3 = node(redis, "n3");
             FailoverProxy balancer = new FailoverProxy(List.of(n2.listener("http"), n3.listener("http")))) {
            Recorder atAlice = new Recorder();
            Recorder atBob = new Recorder();
            Recorder atCarol = new Recorder();
            try (SignalingClient alice = SignalingClient.builder(webSocket(n1.listener("http")))
                         .room("kill9").name("Alice").listener(atAlice).connect();
                 SignalingClient bob = SignalingClient.builder(URI.create(balancer.webSocketUrl()))
                         .room("kill9").name("Bob").listener(atBob).connect();
                 SignalingClient carol = SignalingClient.builder(webSocket(n3.listener("http")))
                         .room("kill9").name("Carol").listener(atCarol).connect()) {
                String aliceId = alice.id().orElseThrow();
                String bobId = bob.id().orElseThrow();
                await().atMost(PATIENCE).until(() -> atAlice.joinedPeers.containsAll(List.of(bobId, carol.id().orElseThrow())));

                Thread aliceTalks = new Thread(() -> sendAll(alice, bobId), "alice-talks");
                Thread bobTalks = new Thread(() -> sendAll(bob, aliceId), "bob-talks");
                aliceTalks.start();
                bobTalks.start();
                await().atMost(PATIENCE).until(() -> atBob.count(aliceId) >= SIGNALS / 4);
                n2.kill(); // SIGKILL: no goodbye to anyone, nothing cleaned up in Redis
                aliceTalks.join();
                bobTalks.join();

                await().atMost(PATIENCE).until(() -> atBob.count(aliceId) >= SIGNALS && atAlice.count(bobId) >= SIGNALS);
                assertThat(atBob.from(aliceId)).as("alice's signals at bob: all, once, in order").isEqualTo(upTo(SIGNALS));
                assertThat(atAlice.from(bobId)).as("bob's signals at alice: all, once, in order").isEqualTo(upTo(SIGNALS));
                assertThat(atBob.joins).hasSize(2);
                assertThat(atBob.joins.get(1).resumed()).as("bob resumed").isTrue();
                assertThat(atBob.joins.get(1).id()).isEqualTo(bobId);
                assertThat(atAlice.left).as("alice saw nobody leave").isEmpty();
                assertThat(atCarol.left).as("carol saw nobody leave").isEmpty();
                assertThat(resumes(n3)).as("bob resumed on n3").isEqualTo(1.0);
            }
        }
    }

    private static double resumes(SwitchboardProcess node) throws IOException, InterruptedException {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(node.adminUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^switchboard_signaling_resumes_total\\{[^}]*outcome=\"resumed\"[^}]*} ([0-9.eE+]+)$")
                .matcher(metrics.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
