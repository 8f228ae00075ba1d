package io.switchboard.e2e.fault;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.stun.ChannelNumber;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.Lifetime;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.Realm;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.StunAttribute;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.TransactionId;
import io.switchboard.stun.Username;
import io.switchboard.stun.XorPeerAddress;
import io.switchboard.stun.XorRelayedAddress;
import io.switchboard.transport.NettyTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TURN load generator on one small Netty event loop group: {@code sessions} UDP clients each allocate, bind a channel
 * to a UDP echo peer and then send ChannelData at a fixed rate; the echo comes back through the relay. Packets are sent
 * on a 20 ms tick; those sent by a tick that ran more than 100 ms behind its schedule (an overloaded machine) are counted
 * as late, which is the only loss a run may show. At the end every allocation is deleted with a zero-lifetime Refresh.
 */
final class TurnLoad implements AutoCloseable {
    private static final int CHANNEL = 0x4000;
    private static final Duration TICK = Duration.ofMillis(20);
    private static final long LATE_NANOS = Duration.ofMillis(100).toNanos();

    /** What a run did. */
    record Result(int sessions, long sent, long received, long late, long echoed) {
        long lost() {
            return Math.max(0, sent - received);
        }
    }

    private final InetSocketAddress server;
    private final String user;
    private final byte[] key;
    private final int payloadBytes;
    private final EventLoopGroup group;
    /** The echo peer's own thread, so that the clients' sending never holds back its reading. */
    private final EventLoopGroup peerGroup;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "turn-load-ticker");
        t.setDaemon(true);
        return t;
    });
    private final Channel peer;
    private final AtomicLong echoed = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final List<Session> sessions = new ArrayList<>();

    TurnLoad(InetSocketAddress server, String user, String password, String realm, int payloadBytes) {
        this.server = server;
        this.user = user;
        this.key = IntegrityKeys.longTermMd5(user, realm, password);
        this.payloadBytes = Math.max(16, payloadBytes);
        NettyTransport transport = NettyTransport.best();
        this.group = transport.newEventLoopGroup(2, "turn-load");
        this.peerGroup = transport.newEventLoopGroup(1, "turn-load-peer");
        this.peer = new Bootstrap().group(peerGroup).channel(transport.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, 4 << 20).option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        echoed.incrementAndGet();
                        ctx.writeAndFlush(new DatagramPacket(packet.content().retain(), packet.sender()));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
    }

    /** Opens {@code count} sessions, at most 50 setting up at once; returns how many got a relay and a channel. */
    int open(int count, Duration timeout) throws InterruptedException {
        Semaphore inFlight = new Semaphore(50);
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            Session session = new Session(i);
            sessions.add(session);
            CompletableFuture<Void> done = session.start();
            done.whenComplete((v, e) -> inFlight.release());
            ready.add(done);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int ok = 0;
        for (CompletableFuture<Void> future : ready) {
            try {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                ok++;
            } catch (Exception e) {
                // counted as a failed session
            }
        }
        return ok;
    }

    /** Sends {@code packetsPerSecond} ChannelData per session for {@code duration}, then waits for the echoes. */
    Result run(int packetsPerSecond, Duration duration) throws InterruptedException {
        List<Session> live = sessions.stream().filter(s -> s.ready).toList();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long[] tick = {0};
        java.util.concurrent.ScheduledFuture<?> task = ticker.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long nominal = start + (++tick[0]) * TICK.toNanos();
            boolean behind = now - nominal > LATE_NANOS;
            long elapsed = Math.min(now, end) - start;
            long due = elapsed * packetsPerSecond / 1_000_000_000L;
            for (Session session : live) {
                while (session.sent.get() < due) {
                    session.sendData();
                    if (behind) {
                        late.incrementAndGet();
                    }
                }
                session.channel.flush();
            }
        }, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        // Permissions last 5 minutes and allocations 10: refresh every 2 minutes during long runs.
        java.util.concurrent.ScheduledFuture<?> refresher = ticker.scheduleAtFixedRate(
                () -> live.forEach(Session::refresh), 120, 120, TimeUnit.SECONDS);
        Thread.sleep(duration.toMillis());
        Thread.sleep(TICK.toMillis() * 3);
        task.cancel(false);
        refresher.cancel(false);
        long sent = live.stream().mapToLong(s -> s.sent.get()).sum();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (live.stream().mapToLong(s -> s.received.get()).sum() < sent && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long received = live.stream().mapToLong(s -> s.received.get()).sum();
        return new Result(live.size(), sent, received, late.get(), echoed.get());
    }

    /** Deletes every allocation (Refresh with LIFETIME 0); returns how many were confirmed. */
    int deleteAll(Duration timeout) {
        List<CompletableFuture<StunMessage>> deletions = new ArrayList<>();
        for (Session session : sessions) {
            if (session.ready) {
                deletions.add(session.signed(StunMethod.REFRESH, List.of(new Lifetime(0))));
            }
        }
        int ok = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<StunMessage> deletion : deletions) {
            try {
                StunMessage response = deletion.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (response.attribute(ErrorCode.class).isEmpty()) {
                    ok++;
                }
            } catch (Exception e) {
                // not confirmed
            }
        }
        return ok;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        for (Session session : sessions) {
            session.channel.close();
        }
        peer.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        peerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One client socket, its allocation and its channel to the echo peer. */
    private final class Session extends SimpleChannelInboundHandler<DatagramPacket> {
        private final int index;
        private final Map<TransactionId, CompletableFuture<StunMessage>> pending = new ConcurrentHashMap<>();
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong received = new AtomicLong();
        private volatile Channel channel;
        private volatile String realm;
        private volatile String nonce;
        private volatile boolean ready;

        Session(int index) {
            this.index = index;
        }

        /**
         * Clients come from many addresses, as real ones do (127.0.1.1, 127.0.1.2, ... are all loopback on Linux): from
         * one address, the per-IP 401 rate limit (a reflection defence) would hold back a thousand first Allocates.
         */
        private static InetAddress clientAddress(int index) {
            try {
                return InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + index / 250), (byte) (1 + index % 250)});
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        CompletableFuture<Void> start() {
            channel = new Bootstrap().group(group).channel(NettyTransport.best().datagramChannel())
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(Session.this);
                        }
                    })
                    .bind(new InetSocketAddress(clientAddress(index), 0)).syncUninterruptibly().channel();
            StunMessage challenge = StunMessage.builder(StunMethod.ALLOCATE.request())
                    .add(new RequestedTransport(RequestedTransport.UDP)).build();
            return transact(challenge)
                    .thenCompose(answer -> {
                        realm = answer.attribute(Realm.class).orElseThrow().realm();
                        nonce = answer.attribute(Nonce.class).orElseThrow().nonce();
                        return signed(StunMethod.ALLOCATE, List.of(new RequestedTransport(RequestedTransport.UDP)));
                    })
                    .thenCompose(allocated -> {
                        requireSuccess(allocated);
                        allocated.attribute(XorRelayedAddress.class).orElseThrow();
                        InetSocketAddress echo = (InetSocketAddress) peer.localAddress();
                        return signed(StunMethod.CHANNEL_BIND, List.of(new ChannelNumber(CHANNEL), new XorPeerAddress(echo)));
                    })
                    .thenAccept(bound -> {
                        requireSuccess(bound);
                        ready = true;
                    });
        }

        /** Sends a signed request; a 438 Stale Nonce (nonces live 10 minutes) is answered once with the new nonce. */
        CompletableFuture<StunMessage> signed(StunMethod method, List<? extends StunAttribute> attributes) {
            return signedOnce(method, attributes).thenCompose(response -> {
                boolean stale = response.attribute(ErrorCode.class).map(e -> e.code() == 438).orElse(false);
                return stale ? signedOnce(method, attributes) : CompletableFuture.completedFuture(response);
            });
        }

        private CompletableFuture<StunMessage> signedOnce(StunMethod method, List<? extends StunAttribute> attributes) {
            StunMessage.Builder builder = StunMessage.builder(method.request());
            attributes.forEach(builder::add);
            builder.add(new Username(user)).add(new Realm(realm)).add(new Nonce(nonce));
            return transact(builder.messageIntegrity(key).build());
        }

        /** Refreshes the allocation, the channel and with it the permission, as a long-lived client must. */
        void refresh() {
            signed(StunMethod.REFRESH, List.of(new Lifetime(600)));
            signed(StunMethod.CHANNEL_BIND, List.of(new ChannelNumber(CHANNEL),
                    new XorPeerAddress((InetSocketAddress) peer.localAddress())));
        }

        /** Sends a request, retransmitting after 0.5, 1, 2 and 4 s (RFC 8489 §6.2.1), and completes with the answer. */
        private CompletableFuture<StunMessage> transact(StunMessage request) {
            CompletableFuture<StunMessage> answer = new CompletableFuture<>();
            pending.put(request.transactionId(), answer);
            byte[] bytes = request.toBytes();
            long delay = 0;
            for (int attempt = 0; attempt < 5; attempt++) {
                group.schedule(() -> {
                    if (!answer.isDone()) {
                        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), server));
                    }
                }, delay, TimeUnit.MILLISECONDS);
                delay = delay == 0 ? 500 : delay * 2;
            }
            group.schedule(() -> answer.completeExceptionally(new IllegalStateException("no answer to " + request.type())),
                    delay, TimeUnit.MILLISECONDS);
            return answer.whenComplete((r, e) -> pending.remove(request.transactionId()));
        }

        void sendData() {
            long seq = sent.incrementAndGet();
            ByteBuf frame = channel.alloc().buffer(4 + payloadBytes);
            frame.writeShort(CHANNEL).writeShort(payloadBytes).writeLong(seq).writeInt(index);
            frame.writeZero(payloadBytes - 12);
            channel.write(new DatagramPacket(frame, server), channel.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            if (content.readableBytes() >= 4 && (content.getUnsignedByte(content.readerIndex()) & 0xC0) == 0x40) {
                received.incrementAndGet();
                return;
            }
            try {
                StunMessage message = StunMessage.decode(ByteBufUtil.getBytes(content));
                CompletableFuture<StunMessage> answer = pending.get(message.transactionId());
                if (answer != null) {
                    message.attribute(Nonce.class).ifPresent(n -> nonce = n.nonce());
                    answer.complete(message);
                }
            } catch (StunDecodeException e) {
                // not for us
            }
        }

        private void requireSuccess(StunMessage response) {
            response.attribute(ErrorCode.class).ifPresent(e -> {
                throw new IllegalStateException("session " + index + ": " + response.type() + " " + e.code() + " "
                        + e.reason());
            });
        }
    }
}
