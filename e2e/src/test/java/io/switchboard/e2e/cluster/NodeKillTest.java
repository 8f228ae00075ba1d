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
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Three {@code switchboard serve} processes sharing one real Redis: {@code kill -9} of one node in the middle of a
 * conversation loses no signal in either direction; its peers come back through the load balancer on another node
 * with the same id, and the others never see them leave.
 *
 * <p>"Nothing lost" is promised within the resume bounds: the server keeps {@code --resume-backlog} deliveries per
 * peer, the client re-sends up to {@code maxRetained} unconfirmed signals. Both are set to hold the whole
 * conversation, so the outage may last as long as a loaded machine makes it (from the kill to the resume took up to
 * 2 s on the loaded 2-core CI machine, with Alice sending throughout; the default backlog of 512 then overflowed and
 * the resume failed) and a failure can only mean a lost signal, not a bound exceeded. Bob also waits a second before
 * reconnecting, so that hundreds of Alice's signals always queue up in Redis and are replayed, however fast the
 * machine is.
 */
class NodeKillTest {
    private static final int SIGNALS = 2000;
    /** Every delivery to Bob (Alice's signals, Carol's peer-joined) fits in his inbox, however long he is away. */
    private static final int BACKLOG = 2 * SIGNALS;
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int STORY_LINES = 40;

    private static SwitchboardProcess node(RedisProcess redis, String id) {
        return SwitchboardProcess.serve("--redis", redis.url(), "--node-id", id,
                "--message-rate", "5000", "--message-burst", "5000", "--resume-backlog", Integer.toString(BACKLOG));
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
        /** Everything but signals and joins of others, with the time and how far everyone was: explains a failure. */
        final List<String> story = new CopyOnWriteArrayList<>();
        private final long born = System.nanoTime();
        volatile Supplier<String> progress = () -> "";
        private String lastNoted;
        private int repeats;

        @Override
        public void onEvent(SignalingEvent event) {
            if (!(event instanceof SignalingEvent.Signal) && !(event instanceof SignalingEvent.PeerJoined)) {
                note(event);
            }
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

        private synchronized void note(SignalingEvent event) {
            String what = event.toString();
            if (event instanceof SignalingEvent.Joined) {
                SignalingEvent.Joined joined = (SignalingEvent.Joined) event;
                what = "joined as " + joined.id() + (joined.resumed() ? " (resumed)" : " (fresh)");
            }
            if (what.equals(lastNoted)) {
                repeats++;
                return;
            }
            endRepeats();
            lastNoted = what;
            StringBuilder line = new StringBuilder(what);
            signals.forEach((from, list) -> line.append("; had ").append(list.size()).append(" signals from ").append(from));
            tell(line.append(progress.get()).toString());
        }

        private void endRepeats() {
            if (repeats > 0) {
                tell("... the same " + repeats + " more times");
                repeats = 0;
            }
        }

        /** Adds {@code line} to the story, after the time since this recorder was made. */
        synchronized void tell(String line) {
            story.add((System.nanoTime() - born) / 1_000_000 + " ms: " + line);
        }

        int count(String from) {
            return signals.getOrDefault(from, List.of()).size();
        }

        List<Integer> from(String peer) {
            List<Integer> list = signals.getOrDefault(peer, List.of());
            synchronized (list) {
                return List.copyOf(list);
            }
        }

        /** Per sender: the count, the first missing, repeated and out-of-order numbers; then the story. */
        String describe() {
            StringBuilder out = new StringBuilder();
            for (String sender : signals.keySet()) {
                List<Integer> got = from(sender);
                BitSet seen = new BitSet();
                List<Integer> repeated = new ArrayList<>();
                List<Integer> disordered = new ArrayList<>();
                int last = -1;
                for (int seq : got) {
                    if (seen.get(seq) && repeated.size() < 10) {
                        repeated.add(seq);
                    }
                    if (seq < last && disordered.size() < 10) {
                        disordered.add(seq);
                    }
                    seen.set(seq);
                    last = seq;
                }
                List<Integer> missing = new ArrayList<>();
                for (int i = seen.nextClearBit(0); i < SIGNALS && missing.size() < 10; i = seen.nextClearBit(i + 1)) {
                    missing.add(i);
                }
                out.append("  from ").append(sender).append(": ").append(got.size()).append(" signals, last ")
                        .append(got.isEmpty() ? "-" : got.get(got.size() - 1)).append(", missing ")
                        .append(SIGNALS - seen.get(0, SIGNALS).cardinality()).append(" (first ").append(missing)
                        .append("), repeated ").append(repeated).append(", out of order ").append(disordered).append('\n');
            }
            out.append("  peer-left: ").append(left).append('\n');
            List<String> lines;
            synchronized (this) {
                endRepeats();
                lastNoted = null;
                lines = List.copyOf(story);
            }
            lines.stream().limit(STORY_LINES).forEach(line -> out.append("  ").append(line).append('\n'));
            if (lines.size() > STORY_LINES) {
                out.append("  ... and ").append(lines.size() - STORY_LINES).append(" more events\n");
            }
            return out.toString();
        }
    }

    private static void sendAll(SignalingClient from, String to, AtomicInteger sent) {
        for (int i = 0; i < SIGNALS; i++) {
            from.sendSignalJson(to, "{\"seq\":" + i + "}");
            sent.incrementAndGet();
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
                         .room("kill9").name("Bob").listener(atBob)
                         .reconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5))
                         .maxRetained(SIGNALS) // whatever the dead node never passed on can be re-sent
                         .connect();
                 SignalingClient carol = SignalingClient.builder(webSocket(n3.listener("http")))
                         .room("kill9").name("Carol").listener(atCarol).connect()) {
                String aliceId = alice.id().orElseThrow();
                String bobId = bob.id().orElseThrow();
                await().atMost(PATIENCE).until(() -> atAlice.joinedPeers.containsAll(List.of(bobId, carol.id().orElseThrow())));

                AtomicInteger aliceSent = new AtomicInteger();
                AtomicInteger bobSent = new AtomicInteger();
                Supplier<String> progress = () -> "; alice had sent " + aliceSent + ", bob " + bobSent;
                List.of(atAlice, atBob, atCarol).forEach(r -> r.progress = progress);
                Thread aliceTalks = new Thread(() -> sendAll(alice, bobId, aliceSent), "alice-talks");
                Thread bobTalks = new Thread(() -> sendAll(bob, aliceId, bobSent), "bob-talks");
                aliceTalks.start();
                bobTalks.start();
                await().atMost(PATIENCE).until(() -> atBob.count(aliceId) >= SIGNALS / 4);
                atBob.tell("n2 killed: bob had " + atBob.count(aliceId) + " signals from alice" + progress.get());
                n2.kill(); // SIGKILL: no goodbye to anyone, nothing cleaned up in Redis

                Map<String, Recorder> recorders = new LinkedHashMap<>();
                recorders.put("alice " + aliceId, atAlice);
                recorders.put("bob " + bobId, atBob);
                recorders.put("carol", atCarol);
                Map<String, SwitchboardProcess> nodes = new LinkedHashMap<>();
                nodes.put("n1", n1);
                nodes.put("n2 (killed)", n2);
                nodes.put("n3", n3);
                Supplier<String> report = () -> report(recorders, nodes, Map.of("alice", alice, "bob", bob));
                awaitOrExplain("bob's second joined", () -> atBob.joins.size() >= 2, report);
                assertThat(atBob.joins.get(1).resumed()).as(() -> "bob resumed\n" + report.get()).isTrue();
                assertThat(atBob.joins.get(1).id()).isEqualTo(bobId);
                aliceTalks.join();
                bobTalks.join();

                awaitOrExplain("every signal", () -> atBob.count(aliceId) >= SIGNALS && atAlice.count(bobId) >= SIGNALS,
                        report);
                assertThat(atBob.from(aliceId)).as(() -> "alice's signals at bob: all, once, in order\n" + report.get())
                        .isEqualTo(upTo(SIGNALS));
                assertThat(atAlice.from(bobId)).as(() -> "bob's signals at alice: all, once, in order\n" + report.get())
                        .isEqualTo(upTo(SIGNALS));
                assertThat(atBob.joins).hasSize(2);
                assertThat(atAlice.left).as(() -> "alice saw nobody leave\n" + report.get()).isEmpty();
                assertThat(atCarol.left).as(() -> "carol saw nobody leave\n" + report.get()).isEmpty();
                assertThat(resumes(n3)).as("bob resumed on n3").isEqualTo(1.0);
            }
        }
    }

    /** Waits for {@code condition}; when it does not come, fails with what everyone got and what the nodes said. */
    private static void awaitOrExplain(String what, Callable<Boolean> condition, Supplier<String> report) {
        try {
            await().atMost(PATIENCE).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no " + what + " within " + PATIENCE + "\n" + report.get(), e);
        }
    }

    /** What each client got and is, and what each node printed. */
    private static String report(Map<String, Recorder> recorders, Map<String, SwitchboardProcess> nodes,
                                 Map<String, SignalingClient> clients) {
        StringBuilder out = new StringBuilder();
        recorders.forEach((who, recorder) -> out.append("at ").append(who).append(":\n").append(recorder.describe()));
        clients.forEach((who, client) -> out.append(who).append(" now: id ").append(client.id().orElse("-"))
                .append(", joined ").append(client.isJoined()).append('\n'));
        nodes.forEach((name, node) -> {
            out.append("---- ").append(name).append(" output:\n").append(node.output()).append('\n');
            if (node.isAlive()) {
                out.append("---- ").append(name).append(" metrics:\n").append(signalingMetrics(node));
            }
        });
        return out.toString();
    }

    private static String signalingMetrics(SwitchboardProcess node) {
        StringBuilder out = new StringBuilder();
        try {
            for (String line : metrics(node).split("\n")) {
                if (line.startsWith("switchboard_signaling") && !line.matches(".* 0\\.0$")) {
                    out.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            out.append("(no metrics: ").append(e).append(")\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString();
    }

    private static String metrics(SwitchboardProcess node) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double resumes(SwitchboardProcess node) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^switchboard_signaling_resumes_total\\{[^}]*outcome=\"resumed\"[^}]*} ([0-9.eE+]+)$")
                .matcher(metrics(node));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
