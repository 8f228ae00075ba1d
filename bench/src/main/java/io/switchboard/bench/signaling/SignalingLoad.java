package io.switchboard.bench.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.bench.Args;
import io.switchboard.bench.JvmHeap;
import io.switchboard.bench.MachineLoad;
import io.switchboard.bench.ProcessStats;
import io.switchboard.bench.Results;
import io.switchboard.transport.NettyTransport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Signaling load: WebSocket clients in rooms of two. Mode {@code latency} relays probes between partners at a fixed
 * total rate and reports relay latency percentiles; mode {@code idle} opens N clients, reads the server's memory and
 * reports bytes and connections per GiB, then checks a sample of pairs still relays. With {@code --server-b} the second
 * peer of every pair connects to another node of a cluster, so every probe crosses nodes.
 */
public final class SignalingLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SignalingLoad() {
    }

    /** Two partners; the next probe goes from {@code a} to {@code b} or back, alternately. */
    private static final class Pair {
        final WsClient a;
        final WsClient b;
        boolean turn;

        Pair(WsClient a, WsClient b) {
            this.a = a;
            this.b = b;
        }
    }

    public static int run(Args args) throws Exception {
        String mode = args.string("mode", "latency");
        SignalingProtocol protocol = SignalingProtocol.named(args.string("protocol", "switchboard"));
        InetSocketAddress server = args.address("server");
        // The second peer of every pair connects here when given: another node of a cluster, for cross-node relay.
        InetSocketAddress serverB = args.string("server-b", "").isEmpty() ? server : args.address("server-b");
        int pairs = args.integer("pairs", mode.equals("idle") ? 5000 : 500);
        String runId = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        String filler = "x".repeat(Math.max(0, args.integer("size", 200) - 40));
        long pid = args.integer("server-pid", 0);
        ProcessStats serverStats = new ProcessStats(pid);
        String nodeStats = args.string("node-stats", "");
        boolean jvm = args.flag("jvm");

        MachineLoad.awaitQuiet(args.decimal("quiet-percent", 15),

                args.integer("quiet-wait", MachineLoad.defaultWaitSeconds()));
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newEventLoopGroup(args.integer("threads", 1), "bench-ws");
        Recorder latencies = new Recorder(3);
        LongAdder received = new LongAdder();
        LongAdder receivedInWindow = new LongAdder();
        AtomicReference<long[]> window = new AtomicReference<>(new long[] {Long.MAX_VALUE, Long.MAX_VALUE});
        WsClient.ProbeListener listener = sent -> {
            received.increment();
            long[] w = window.get();
            if (sent >= w[0] && sent < w[1]) {
                receivedInWindow.increment();
                latencies.recordValue(Math.max(0, System.nanoTime() - sent));
            }
        };
        try {
            long heapBefore = memory(jvm, pid, nodeStats);
            long rssBefore = serverStats.residentBytes();
            System.err.printf("signaling %s %s: opening %d connections (%d pairs) to %s%n",
                    mode, args.string("server-name", ""), pairs * 2, pairs, server);
            Bootstrap bootstrap = bootstrap(transport, group);
            List<Pair> ready = new ArrayList<>();
            int failed = connectAll(bootstrap, protocol, server, serverB, pairs, runId, listener, ready,
                    args.integer("concurrency", 256));
            int connections = ready.size() * 2;
            System.err.printf("  %d pairs ready, %d connections failed%n", ready.size(), failed);
            if (ready.isEmpty()) {
                return 2;
            }
            Results results = new Results()
                    .put("bench", "signaling-" + mode)
                    .put("label", args.string("label", ""))
                    .put("server", args.string("server-name", ""))
                    .put("connections", connections)
                    .put("failed_connections", failed);
            if (mode.equals("idle")) {
                Thread.sleep(args.integer("settle", 3) * 1000L);
                long heapAfter = memory(jvm, pid, nodeStats);
                long rssAfter = serverStats.residentBytes();
                double heapPer = (double) (heapAfter - heapBefore) / connections;
                double rssPer = (double) (rssAfter - rssBefore) / connections;
                int sample = Math.min(ready.size(), 200);
                long before = received.sum();
                for (int i = 0; i < sample; i++) {
                    Pair pair = ready.get(i * (ready.size() / sample));
                    pair.a.channel().eventLoop().execute(() -> {
                        pair.a.writeProbe(filler);
                        pair.a.channel().flush();
                    });
                }
                Thread.sleep(2000);
                results.put("server_open_files", serverStats.openFiles())
                        .put("heap_before_kib", heapBefore / 1024)
                        .put("heap_after_kib", heapAfter / 1024)
                        .put("heap_per_conn_bytes", heapPer)
                        .put("conn_per_gib_heap", heapPer > 0 ? (1L << 30) / heapPer : 0)
                        .put("rss_before_kib", rssBefore / 1024)
                        .put("rss_after_kib", rssAfter / 1024)
                        .put("rss_per_conn_bytes", rssPer)
                        .put("conn_per_gib_rss", rssPer > 0 ? (1L << 30) / rssPer : 0)
                        .put("sample_pairs", sample)
                        .put("sample_delivered", received.sum() - before);
            } else {
                double rate = args.decimal("rate", 1000);
                int warmup = args.integer("warmup", 3);
                int duration = args.integer("duration", 10);
                List<Pacer> pacers = new ArrayList<>();
                for (int t = 0; t < args.integer("threads", 1); t++) {
                    pacers.add(new Pacer((EventLoop) group.next(), filler, window));
                }
                for (Pair pair : ready) {
                    for (Pacer pacer : pacers) {
                        if (pacer.loop == pair.a.channel().eventLoop()) {
                            pacer.pairs.add(pair);
                        }
                    }
                }
                pacers.removeIf(p -> p.pairs.isEmpty());
                pacers.forEach(p -> p.start(rate * p.pairs.size() / ready.size()));
                progress("warm-up", warmup, pacers, received);
                double cpuBefore = serverStats.cpuSeconds();
                MachineLoad.Sample machineBefore = MachineLoad.sample();
                long start = System.nanoTime();
                window.set(new long[] {start, Long.MAX_VALUE});
                latencies.reset();
                progress("measure", duration, pacers, received);
                long end = System.nanoTime();
                window.set(new long[] {start, end});
                double cpuAfter = serverStats.cpuSeconds();
                MachineLoad.Sample machineAfter = MachineLoad.sample();
                pacers.forEach(Pacer::stop);
                Thread.sleep(1000); // messages of the window still in flight count as delivered
                long sent = pacers.stream().mapToLong(p -> p.sentInWindow.sum()).sum();
                Histogram latency = latencies.getIntervalHistogram();
                double seconds = (end - start) / 1e9;
                long delivered = receivedInWindow.sum();
                results.put("rate", rate)
                        .put("sent_per_s", sent / seconds)
                        .put("delivered_per_s", delivered / seconds)
                        .put("lost", Math.max(0, sent - delivered))
                        .put("latency_p50_ms", latency.getValueAtPercentile(50) / 1e6)
                        .put("latency_p99_ms", latency.getValueAtPercentile(99) / 1e6)
                        .put("latency_max_ms", latency.getMaxValue() / 1e6)
                        .put("server_cpu_s", cpuAfter - cpuBefore)
                        .put("seconds", seconds)
                        .put("others_cpu_pct", MachineLoad.othersPercent(machineBefore, machineAfter,
                                cpuAfter - cpuBefore));
            }
            results.emit(args.string("out", ""));
            return 0;
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    private static Bootstrap bootstrap(NettyTransport transport, EventLoopGroup group) {
        return new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    }

    private static int connectAll(Bootstrap bootstrap, SignalingProtocol protocol, InetSocketAddress server,
                                  InetSocketAddress serverB, int pairs, String runId, WsClient.ProbeListener listener, List<Pair> ready,
                                  int concurrency) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        List<Pair> created = new ArrayList<>();
        long lastReport = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            String room = "r" + runId + "x" + i;
            String idA = "p" + runId + "x" + i + "a";
            String idB = "p" + runId + "x" + i + "b";
            boolean idsInAdvance = protocol instanceof SignalingProtocol.PeerJs;
            WsClient a = new WsClient(protocol, idA, idsInAdvance ? idB : null, room, listener);
            WsClient b = new WsClient(protocol, idB, idsInAdvance ? idA : null, room, listener);
            // Both ends of a pair on one event loop, so a pacer owns both.
            EventLoop loop = (EventLoop) bootstrap.config().group().next();
            Pair pair = new Pair(a, b);
            created.add(pair);
            for (WsClient client : List.of(a, b)) {
                permits.acquire();
                connect(bootstrap, loop, protocol, client == a ? server : serverB, client, i);
                all.add(client.ready().handle((c, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, error.getMessage());
                    }
                    permits.release();
                    return null;
                }));
            }
            long now = System.nanoTime();
            if (now - lastReport > TimeUnit.SECONDS.toNanos(2)) {
                lastReport = now;
                System.err.printf("  ... %d/%d connections%n", 2 * i, 2 * pairs);
            }
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.err.println("  some connections did not complete: " + e);
        }
        for (Pair pair : created) {
            if (isReady(pair.a) && isReady(pair.b)) {
                ready.add(pair);
            }
        }
        if (firstFailure.get() != null) {
            System.err.println("  first failure: " + firstFailure.get());
        }
        return failed.get();
    }

    private static boolean isReady(WsClient client) {
        return client.ready().isDone() && !client.ready().isCompletedExceptionally();
    }

    private static void connect(Bootstrap bootstrap, EventLoop loop, SignalingProtocol protocol,
                                InetSocketAddress server, WsClient client, int index) {
        URI uri = URI.create("ws://" + server.getHostString() + ":" + server.getPort() + protocol.path(client.name()));
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .maxFramePayloadLength(1 << 16)
                .handshakeTimeoutMillis(60_000)
                .absoluteUpgradeUrl(false)
                .build();
        // Spread client sockets over several loopback source addresses: each has its own ephemeral port range.
        InetSocketAddress local = new InetSocketAddress("127.0.0." + (1 + index % 8), 0);
        bootstrap.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                        new WebSocketClientProtocolHandler(config), client);
            }
        }).connect(server, local).addListener(f -> {
            if (!f.isSuccess()) {
                client.error("connect: " + f.cause());
            }
        });
    }

    private static long memory(boolean jvm, long pid, String nodeStats) {
        if (jvm) {
            return JvmHeap.liveBytes(pid);
        }
        if (!nodeStats.isEmpty()) {
            try {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(nodeStats)).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode stats = JSON.readTree(response.body());
                return stats.path("heapUsed").asLong() + stats.path("external").asLong();
            } catch (Exception e) {
                System.err.println("  node stats unavailable: " + e);
            }
        }
        return 0;
    }

    private static void progress(String phase, int seconds, List<Pacer> pacers, LongAdder received)
            throws InterruptedException {
        for (int s = 0; s < seconds; s++) {
            long sent = pacers.stream().mapToLong(p -> p.sent.sum()).sum();
            long got = received.sum();
            Thread.sleep(1000);
            System.err.printf("  %s %d/%ds: sent %,d/s, delivered %,d/s%n", phase, s + 1, seconds,
                    pacers.stream().mapToLong(p -> p.sent.sum()).sum() - sent, received.sum() - got);
        }
    }

    /** Sends probes at a fixed rate from the pairs on one event loop, in 1 ms ticks. */
    private static final class Pacer {
        final EventLoop loop;
        final String filler;
        final List<Pair> pairs = new ArrayList<>();
        final LongAdder sent = new LongAdder();
        final LongAdder sentInWindow = new LongAdder();
        /** The measured window, shared with the receiving side so both count the same messages. */
        private final AtomicReference<long[]> window;
        private final List<WsClient> dirty = new ArrayList<>();
        private double rate;
        private long start;
        private long scheduled;
        private int cursor;
        private ScheduledFuture<?> ticker;

        Pacer(EventLoop loop, String filler, AtomicReference<long[]> window) {
            this.loop = loop;
            this.filler = filler;
            this.window = window;
        }

        void start(double perSecond) {
            loop.execute(() -> {
                rate = perSecond;
                start = System.nanoTime();
                ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
            });
        }

        void stop() {
            loop.execute(() -> ticker.cancel(false));
        }

        private void tick() {
            long due = (long) ((System.nanoTime() - start) * rate / 1e9) - scheduled;
            for (long i = 0; i < due; i++) {
                scheduled++;
                Pair pair = pairs.get(cursor);
                cursor = cursor + 1 == pairs.size() ? 0 : cursor + 1;
                WsClient from = pair.turn ? pair.b : pair.a;
                pair.turn = !pair.turn;
                long at = from.writeProbe(filler);
                sent.increment();
                long[] w = window.get();
                if (at >= w[0] && at < w[1]) {
                    sentInWindow.increment();
                }
                if (!from.dirty) {
                    from.dirty = true;
                    dirty.add(from);
                }
            }
            for (WsClient client : dirty) {
                client.dirty = false;
                client.channel().flush();
            }
            dirty.clear();
        }
    }
}
