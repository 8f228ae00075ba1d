package io.switchboard.e2e.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.signaling.SignalingClient;
import io.switchboard.client.signaling.SignalingEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A signaling load generator: {@code peers} Java SDK clients (one shared HTTP client and timer) in rooms of two, each
 * sending its partner numbered signals at a fixed rate. Each receiver checks that the numbers arrive complete and in
 * order (protocol v1: messages between two peers arrive in the order sent, none lost).
 */
final class SignalingLoad implements AutoCloseable {
    /** What a run did. */
    record Result(int peers, long sent, long received, long outOfOrder, long errors) {
        long lost() {
            return Math.max(0, sent - received);
        }
    }

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "signaling-load");
        t.setDaemon(true);
        return t;
    });
    private final List<Peer> peers = new ArrayList<>();
    private final AtomicLong errors = new AtomicLong();

    SignalingLoad(URI uri) {
        this.uri = uri;
    }

    /** Connects {@code count} peers (rounded down to pairs), at most 50 at once; returns how many joined. */
    int open(int count, String roomPrefix, Duration timeout) throws InterruptedException {
        Semaphore inFlight = new Semaphore(50);
        List<CompletableFuture<SignalingClient>> joins = new ArrayList<>();
        for (int i = 0; i < count / 2 * 2; i++) {
            inFlight.acquire();
            Peer peer = new Peer();
            peers.add(peer);
            CompletableFuture<SignalingClient> joined = SignalingClient.builder(uri).room(roomPrefix + (i / 2))
                    .name("load-" + i).httpClient(http).scheduler(timer).listener(peer::onEvent)
                    .heartbeat(Duration.ofSeconds(10)).connectAsync();
            joined.whenComplete((client, e) -> {
                inFlight.release();
                peer.client = client;
            });
            joins.add(joined);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int ok = 0;
        for (CompletableFuture<SignalingClient> join : joins) {
            try {
                join.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                ok++;
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }
        for (int i = 0; i + 1 < peers.size(); i += 2) {
            peers.get(i).partner = peers.get(i + 1);
            peers.get(i + 1).partner = peers.get(i);
        }
        return ok;
    }

    /** Every peer signals its partner {@code perSecond} times a second for {@code duration}; then all are counted. */
    Result run(double perSecond, Duration duration) throws InterruptedException {
        long periodMicros = (long) (1_000_000 / perSecond);
        List<java.util.concurrent.ScheduledFuture<?>> tasks = new ArrayList<>();
        for (Peer peer : peers) {
            if (peer.client != null && peer.partner != null && peer.partner.client != null) {
                tasks.add(timer.scheduleAtFixedRate(peer::signal, (long) (Math.random() * periodMicros), periodMicros,
                        TimeUnit.MICROSECONDS));
            }
        }
        Thread.sleep(duration.toMillis());
        tasks.forEach(t -> t.cancel(false));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (received() < sent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long outOfOrder = peers.stream().mapToLong(p -> p.outOfOrder.get()).sum();
        return new Result(tasks.size(), sent(), received(), outOfOrder, errors.get());
    }

    private long sent() {
        return peers.stream().mapToLong(p -> p.sent.get()).sum();
    }

    private long received() {
        return peers.stream().mapToLong(p -> p.received.get()).sum();
    }

    /** Leaves every room cleanly (a WebSocket close). */
    @Override
    public void close() {
        for (Peer peer : peers) {
            if (peer.client != null) {
                peer.client.close();
            }
        }
        timer.shutdownNow();
    }

    private final class Peer {
        volatile SignalingClient client;
        volatile Peer partner;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        private long expected = 1;

        void signal() {
            String to = partner.client.id().orElse(null);
            if (to == null) {
                return;
            }
            long seq = sent.incrementAndGet();
            client.sendSignalJson(to, "{\"seq\":" + seq + "}").exceptionally(e -> {
                errors.incrementAndGet();
                return null;
            });
        }

        void onEvent(SignalingEvent event) {
            if (event instanceof SignalingEvent.Signal) {
                JsonNode data = ((SignalingEvent.Signal) event).data();
                long seq = data.path("seq").asLong();
                if (seq != expected) {
                    outOfOrder.incrementAndGet();
                }
                expected = seq + 1;
                received.incrementAndGet();
            } else if (event instanceof SignalingEvent.Error) {
                errors.incrementAndGet();
            }
        }
    }
}
