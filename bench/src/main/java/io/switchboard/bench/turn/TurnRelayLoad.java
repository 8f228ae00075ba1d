package io.switchboard.bench.turn;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.switchboard.bench.Args;
import io.switchboard.bench.MachineLoad;
import io.switchboard.bench.ProcessStats;
import io.switchboard.bench.Results;
import io.switchboard.bench.Udp;
import io.switchboard.transport.NettyTransport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * TURN relay load: N allocations each with a channel bound to an echo peer in this process; ChannelData goes client →
 * server → peer → server → client. Prints packets relayed per second, loss, round-trip percentiles and server
 * CPU.
 */
public final class TurnRelayLoad {
    private TurnRelayLoad() {
    }

    public static int run(Args args) throws Exception {
        InetSocketAddress server = args.address("server");
        TurnCredentials credentials = TurnCredentials.parse(args.string("user", "alice:secret"));
        int allocations = args.integer("allocations", 32);
        int size = args.integer("size", 100);
        double rate = args.decimal("rate", 0);
        int window = args.integer("window", 16);
        int warmup = args.integer("warmup", 3);
        int duration = args.integer("duration", 10);
        int threads = args.integer("threads", 1);
        String bind = args.string("bind", "127.0.0.1");
        int sources = args.integer("sources", 256);
        String peerHost = args.string("peer-host", "127.0.0.2");
        ProcessStats serverStats = new ProcessStats(args.integer("server-pid", 0));

        MachineLoad.awaitQuiet(args.decimal("quiet-percent", 15),

                args.integer("quiet-wait", MachineLoad.defaultWaitSeconds()));
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newEventLoopGroup(threads, "bench-turn");
        try {
            EchoPeer echo = new EchoPeer();
            Channel peerChannel = Udp.bootstrap(transport, group, echo, 4 << 20, true)
                    .bind(new InetSocketAddress(peerHost, 0)).sync().channel();
            InetSocketAddress peer = (InetSocketAddress) peerChannel.localAddress();

            Recorder roundTrips = new Recorder(3);
            List<RelayTraffic> drivers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                drivers.add(new RelayTraffic((EventLoop) group.next(), size, rate / threads, window, roundTrips));
            }
            System.err.printf("turn-relay %s: opening %d allocations to %s, echo peer %s%n",
                    args.string("label", ""), allocations, server, peer);
            SessionOpener.Opened opened = SessionOpener.open(allocations, 64, i -> {
                RelayTraffic driver = drivers.get(i % threads);
                TurnSession session = new TurnSession(credentials, peer, 0x4000, driver);
                return new SessionOpener.Attempt(Udp.bootstrap(transport, driver.loop(), session, 1 << 20, true),
                        session, server, io.switchboard.bench.Loopback.source(bind, i, sources));
            }, true);
            if (opened.ready().isEmpty()) {
                System.err.println("turn-relay: no allocation succeeded: " + opened.firstFailure());
                return 2;
            }
            for (TurnSession session : opened.ready()) {
                drivers.stream().filter(d -> d.loop() == session.channel().eventLoop()).findFirst()
                        .orElseThrow().add(session);
            }
            drivers.forEach(RelayTraffic::start);
            progress("warm-up", warmup, drivers, echo);

            long clientBefore = sum(drivers, true);
            long peerBefore = echo.received();
            double cpuBefore = serverStats.cpuSeconds();
            MachineLoad.Sample machineBefore = MachineLoad.sample();
            long windowStart = System.nanoTime();
            drivers.forEach(d -> d.openWindow(windowStart));
            roundTrips.reset();
            progress("measure", duration, drivers, echo);
            long windowEnd = System.nanoTime();
            drivers.forEach(d -> d.closeWindow(windowEnd));
            long clientAfter = sum(drivers, true);
            long peerAfter = echo.received();
            double cpuAfter = serverStats.cpuSeconds();
            MachineLoad.Sample machineAfter = MachineLoad.sample();
            Thread.sleep(1000); // late echoes of the window still count as delivered

            double seconds = (windowEnd - windowStart) / 1e9;
            long sent = drivers.stream().mapToLong(d -> d.sentInWindow.sum()).sum();
            long echoed = drivers.stream().mapToLong(d -> d.echoedInWindow.sum()).sum();
            Histogram rtt = roundTrips.getIntervalHistogram();
            double relayed = ((clientAfter - clientBefore) + (peerAfter - peerBefore)) / seconds;
            double cpu = cpuAfter - cpuBefore;
            new Results()
                    .put("bench", "turn-relay")
                    .put("label", args.string("label", ""))
                    .put("server", args.string("server-name", ""))
                    .put("allocations", opened.ready().size())
                    .put("failed_allocations", opened.failed())
                    .put("size", size)
                    .put("mode", rate > 0 ? "paced" : "flood")
                    .put("offered_pps", rate > 0 ? rate : 0)
                    .put("sent_pps", sent / seconds)
                    .put("relayed_pps", relayed)
                    .put("loss_pct", sent == 0 ? 100 : 100.0 * (sent - Math.min(sent, echoed)) / sent)
                    .put("rtt_p50_us", rtt.getValueAtPercentile(50) / 1e3)
                    .put("rtt_p99_us", rtt.getValueAtPercentile(99) / 1e3)
                    .put("rtt_max_us", rtt.getMaxValue() / 1e3)
                    .put("server_cpu_s", cpu)
                    .put("relayed_per_cpu_s", cpu > 0 ? relayed * seconds / cpu : 0)
                    .put("seconds", seconds)
                    .put("others_cpu_pct", MachineLoad.othersPercent(machineBefore, machineAfter, cpu))
                    .emit(args.string("out", ""));

            List<CompletableFuture<Void>> releases = new ArrayList<>();
            opened.ready().forEach(s -> releases.add(s.release()));
            try {
                CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                System.err.println("turn-relay: some allocations were not released");
            }
            return 0;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static long sum(List<RelayTraffic> drivers, boolean received) {
        return drivers.stream().mapToLong(d -> received ? d.received.sum() : d.sent.sum()).sum();
    }

    private static void progress(String phase, int seconds, List<RelayTraffic> drivers, EchoPeer echo)
            throws InterruptedException {
        for (int s = 0; s < seconds; s++) {
            long sent = sum(drivers, false);
            long received = sum(drivers, true);
            long atPeer = echo.received();
            Thread.sleep(1000);
            System.err.printf("  %s %d/%ds: sent %,d/s, at peer %,d/s, echoed %,d/s%n", phase, s + 1, seconds,
                    sum(drivers, false) - sent, echo.received() - atPeer, sum(drivers, true) - received);
        }
    }
}
