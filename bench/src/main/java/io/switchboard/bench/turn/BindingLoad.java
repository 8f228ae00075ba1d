package io.switchboard.bench.turn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.bench.Args;
import io.switchboard.bench.MachineLoad;
import io.switchboard.bench.ProcessStats;
import io.switchboard.bench.Results;
import io.switchboard.bench.Udp;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.StunMessage;
import io.switchboard.transport.NettyTransport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * STUN Binding rate (RFC 8489 §3): S sockets each keep W Binding requests in flight (closed loop); a request's
 * transaction id carries its send time, so the answer alone gives the round-trip time.
 */
public final class BindingLoad {
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private BindingLoad() {
    }

    public static int run(Args args) throws Exception {
        InetSocketAddress server = args.address("server");
        int sockets = args.integer("sockets", 16);
        int window = args.integer("window", 16);
        int warmup = args.integer("warmup", 3);
        int duration = args.integer("duration", 10);
        ProcessStats serverStats = new ProcessStats(args.integer("server-pid", 0));

        MachineLoad.awaitQuiet(args.decimal("quiet-percent", 15),

                args.integer("quiet-wait", MachineLoad.defaultWaitSeconds()));
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newEventLoopGroup(args.integer("threads", 1), "bench-stun");
        Recorder roundTrips = new Recorder(3);
        LongAdder answered = new LongAdder();
        LongAdder sent = new LongAdder();
        List<Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < sockets; i++) {
                Client client = new Client(window, roundTrips, answered, sent);
                Channel channel = Udp.bootstrap(transport, group, client, 1 << 20, true)
                        .connect(server, new InetSocketAddress(args.string("bind", "127.0.0.1"), 0)).sync().channel();
                client.attach(channel);
                clients.add(client);
            }
            System.err.printf("stun-binding %s: %d sockets x %d in flight to %s%n",
                    args.string("server-name", ""), sockets, window, server);
            clients.forEach(Client::start);
            progress("warm-up", warmup, answered);
            roundTrips.reset();
            long answeredBefore = answered.sum();
            long sentBefore = sent.sum();
            double cpuBefore = serverStats.cpuSeconds();
            MachineLoad.Sample machineBefore = MachineLoad.sample();
            long start = System.nanoTime();
            progress("measure", duration, answered);
            long end = System.nanoTime();
            long answeredAfter = answered.sum();
            long sentAfter = sent.sum();
            double cpuAfter = serverStats.cpuSeconds();
            MachineLoad.Sample machineAfter = MachineLoad.sample();
            clients.forEach(Client::stop);
            Histogram rtt = roundTrips.getIntervalHistogram();
            double seconds = (end - start) / 1e9;
            double rate = (answeredAfter - answeredBefore) / seconds;
            double cpu = cpuAfter - cpuBefore;
            long requests = sentAfter - sentBefore;
            new Results()
                    .put("bench", "stun-binding")
                    .put("server", args.string("server-name", ""))
                    .put("sockets", sockets)
                    .put("window", window)
                    .put("binding_per_s", rate)
                    .put("unanswered_pct", requests == 0 ? 100
                            : Math.max(0, 100.0 * (requests - (answeredAfter - answeredBefore)) / requests))
                    .put("rtt_p50_us", rtt.getValueAtPercentile(50) / 1e3)
                    .put("rtt_p99_us", rtt.getValueAtPercentile(99) / 1e3)
                    .put("server_cpu_s", cpu)
                    .put("binding_per_cpu_s", cpu > 0 ? rate * seconds / cpu : 0)
                    .put("seconds", seconds)
                    .put("others_cpu_pct", MachineLoad.othersPercent(machineBefore, machineAfter, cpu))
                    .emit(args.string("out", ""));
            return 0;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static void progress(String phase, int seconds, LongAdder answered) throws InterruptedException {
        for (int s = 0; s < seconds; s++) {
            long before = answered.sum();
            Thread.sleep(1000);
            System.err.printf("  %s %d/%ds: %,d answers/s%n", phase, s + 1, seconds, answered.sum() - before);
        }
    }

    /** One socket with its requests in flight. */
    private static final class Client extends ChannelInboundHandlerAdapter {
        private final int window;
        private final Recorder roundTrips;
        private final LongAdder answered;
        private final LongAdder sent;
        private Channel channel;
        private int outstanding;
        private int sequence;
        private long lastProgress;
        private volatile boolean running;
        private io.netty.util.concurrent.ScheduledFuture<?> ticker;

        Client(int window, Recorder roundTrips, LongAdder answered, LongAdder sent) {
            this.window = window;
            this.roundTrips = roundTrips;
            this.answered = answered;
            this.sent = sent;
        }

        /** The connected socket (set here, not in channelActive, which may run after connect() returned). */
        void attach(Channel connected) {
            this.channel = connected;
        }

        void start() {
            channel.eventLoop().execute(() -> {
                running = true;
                lastProgress = System.nanoTime();
                ticker = channel.eventLoop().scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
            });
        }

        void stop() {
            running = false;
            channel.eventLoop().execute(() -> {
                ticker.cancel(false);
                channel.close();
            });
        }

        private void tick() {
            long now = System.nanoTime();
            if (outstanding > 0 && now - lastProgress > STALL_NANOS) {
                outstanding = 0; // the requests in flight were lost
                lastProgress = now;
            }
            fill();
        }

        private void fill() {
            boolean wrote = false;
            while (running && outstanding < window) {
                ByteBuf request = channel.alloc().directBuffer(StunMessage.HEADER_LENGTH);
                request.writeShort(MessageType.BINDING_REQUEST.code());
                request.writeShort(0);
                request.writeInt(StunMessage.MAGIC_COOKIE);
                request.writeInt(sequence++);
                request.writeLong(System.nanoTime());
                channel.write(request, channel.voidPromise());
                outstanding++;
                sent.increment();
                wrote = true;
            }
            if (wrote) {
                channel.flush();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            try {
                ByteBuf answer = packet.content();
                int at = answer.readerIndex();
                if (answer.readableBytes() >= StunMessage.HEADER_LENGTH
                        && answer.getUnsignedShort(at) == MessageType.BINDING_SUCCESS.code()) {
                    long now = System.nanoTime();
                    roundTrips.recordValue(Math.max(0, now - answer.getLong(at + 12)));
                    answered.increment();
                    outstanding = Math.max(0, outstanding - 1);
                    lastProgress = now;
                }
            } finally {
                packet.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            fill();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP errors while a server restarts: the stall timer refills the window.
        }
    }
}
