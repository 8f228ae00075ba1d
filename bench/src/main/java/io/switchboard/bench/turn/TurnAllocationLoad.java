package io.switchboard.bench.turn;

import io.netty.channel.EventLoopGroup;
import io.switchboard.bench.Args;
import io.switchboard.bench.JvmHeap;
import io.switchboard.bench.MachineLoad;
import io.switchboard.bench.ProcessStats;
import io.switchboard.bench.Results;
import io.switchboard.bench.Udp;
import io.switchboard.transport.NettyTransport;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Allocation rate and memory per allocation: N clients, each with its own socket, run the full Allocate handshake
 * (401 challenge, then authenticated Allocate) with C handshakes in flight; the allocations are held while the
 * server's resident memory (and, for a JVM, its live heap after a full GC) is read, then deleted.
 */
public final class TurnAllocationLoad {
    private TurnAllocationLoad() {
    }

    private static void awaitAll(List<CompletableFuture<Void>> releases) throws InterruptedException {
        try {
            CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.err.println("turn-alloc: some allocations were not deleted: " + e);
        }
        releases.clear();
    }

    public static int run(Args args) throws Exception {
        InetSocketAddress server = args.address("server");
        TurnCredentials credentials = TurnCredentials.parse(args.string("user", "alice:secret"));
        int count = args.integer("allocations", 10_000);
        int concurrency = args.integer("concurrency", 200);
        String bind = args.string("bind", "127.0.0.1");
        int sources = args.integer("sources", 256);
        long pid = args.integer("server-pid", 0);
        boolean jvm = args.flag("jvm");
        ProcessStats serverStats = new ProcessStats(pid);

        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newEventLoopGroup(args.integer("threads", 1), "bench-alloc");
        try {
            int warmup = args.integer("warmup-allocations", 0);
            if (warmup > 0) {
                System.err.printf("turn-alloc: warm-up, %d allocations made and deleted%n", warmup);
                SessionOpener.Opened warm = SessionOpener.open(warmup, concurrency, i -> {
                    TurnSession session = new TurnSession(credentials, null, 0, (s, data) -> { });
                    return new SessionOpener.Attempt(Udp.bootstrap(transport, group, session, 64 << 10, false),
                            session, server, io.switchboard.bench.Loopback.source(bind, i, sources));
                }, false);
                List<CompletableFuture<Void>> releases = new ArrayList<>();
                for (TurnSession session : warm.ready()) {
                    releases.add(session.release());
                    if (releases.size() == concurrency) {
                        awaitAll(releases);
                    }
                }
                awaitAll(releases);
                warm.ready().forEach(s -> s.channel().close());
                Thread.sleep(1000);
            }
            MachineLoad.awaitQuiet(args.decimal("quiet-percent", 15),
                    args.integer("quiet-wait", MachineLoad.defaultWaitSeconds()));
            long heapBefore = jvm ? JvmHeap.liveBytes(pid) : 0;
            long rssBefore = serverStats.residentBytes();
            double cpuBefore = serverStats.cpuSeconds();
            MachineLoad.Sample machineBefore = MachineLoad.sample();
            System.err.printf("turn-alloc %s: %d allocations, %d in flight, server RSS %,d KiB%n",
                    args.string("server-name", ""), count, concurrency, rssBefore / 1024);
            SessionOpener.Opened opened = SessionOpener.open(count, concurrency, i -> {
                TurnSession session = new TurnSession(credentials, null, 0, (s, data) -> { });
                return new SessionOpener.Attempt(Udp.bootstrap(transport, group, session, 64 << 10, false),
                        session, server, io.switchboard.bench.Loopback.source(bind, i, sources));
            }, true);
            double cpuAfter = serverStats.cpuSeconds();
            MachineLoad.Sample machineAfter = MachineLoad.sample();
            Thread.sleep(2000);
            long rssAfter = serverStats.residentBytes();
            long heapAfter = jvm ? JvmHeap.liveBytes(pid) : 0;
            int ready = opened.ready().size();

            Histogram handshakes = new Histogram(3);
            opened.ready().forEach(s -> handshakes.recordValue(Math.max(0, s.handshakeNanos())));
            double seconds = opened.nanos() / 1e9;
            Results results = new Results()
                    .put("bench", "turn-alloc")
                    .put("server", args.string("server-name", ""))
                    .put("requested", count)
                    .put("allocations", ready)
                    .put("failed", opened.failed())
                    .put("first_failure", opened.firstFailure().isEmpty() ? "-" : opened.firstFailure())
                    .put("concurrency", concurrency)
                    .put("seconds", seconds)
                    .put("alloc_per_s", ready / seconds)
                    .put("handshake_p50_ms", handshakes.getValueAtPercentile(50) / 1e6)
                    .put("handshake_p99_ms", handshakes.getValueAtPercentile(99) / 1e6)
                    .put("server_cpu_s", cpuAfter - cpuBefore)
                    .put("rss_before_kib", rssBefore / 1024)
                    .put("rss_after_kib", rssAfter / 1024)
                    .put("rss_per_alloc_bytes", ready == 0 ? 0 : (double) (rssAfter - rssBefore) / ready)
                    .put("server_open_files", serverStats.openFiles())
                    .put("others_cpu_pct",
                            MachineLoad.othersPercent(machineBefore, machineAfter, cpuAfter - cpuBefore));
            if (jvm) {
                results.put("heap_before_kib", heapBefore / 1024)
                        .put("heap_after_kib", heapAfter / 1024)
                        .put("heap_per_alloc_bytes", ready == 0 ? 0 : (double) (heapAfter - heapBefore) / ready);
            }
            if (!args.string("label", "").isEmpty()) {
                results.put("label", args.string("label", ""));
            }
            results.emit(args.string("out", ""));

            System.err.printf("turn-alloc: deleting %d allocations%n", ready);
            List<CompletableFuture<Void>> releases = new ArrayList<>();
            for (TurnSession session : opened.ready()) {
                releases.add(session.release());
                if (releases.size() == concurrency) {
                    awaitAll(releases);
                }
            }
            awaitAll(releases);
            return ready == count ? 0 : 1;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
