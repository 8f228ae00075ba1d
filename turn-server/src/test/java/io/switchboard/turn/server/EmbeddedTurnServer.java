package io.switchboard.turn.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.transport.NettyTransport;
import io.switchboard.turn.TurnPolicy;
import io.switchboard.turn.TurnServerConfig;
import io.switchboard.turn.allocation.AllocationListener;
import io.switchboard.turn.allocation.AllocationTable;
import io.switchboard.turn.allocation.CloseReason;
import io.switchboard.turn.allocation.RelayPortPool;
import io.switchboard.turn.allocation.Transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server's real handlers (listener, stream framer, dispatcher, allocation table, relay sockets on 127.0.0.1) without
 * listener sockets, for tests in other packages (fuzzing, attacks): the UDP listener and TCP connections run in Netty's
 * {@link EmbeddedChannel}. Exceptions that escape a handler's {@code channelRead} are recorded in {@link #escaped()}
 * instead of being swallowed by the handler's own {@code exceptionCaught}, so that a test can fail on them.
 */
public final class EmbeddedTurnServer implements AutoCloseable {
    /** The address the embedded listeners pretend to be bound to. */
    public static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478);

    private static final io.netty.util.AttributeKey<Outbox> OUTBOX =
            io.netty.util.AttributeKey.valueOf(EmbeddedTurnServer.class, "outbox");

    private final ServerContext context;
    private final RequestDispatcher dispatcher;
    private final EventLoopGroup group;
    private final List<Throwable> escaped = new CopyOnWriteArrayList<>();

    /** Relays bind and advertise 127.0.0.1 with ports of {@code config.relayPorts()}. */
    public EmbeddedTurnServer(TurnServerConfig config, Clock clock, MeterRegistry registry) {
        AtomicReference<TurnPolicy> policy = new AtomicReference<>(config.policy());
        AllocationTable table = new AllocationTable(clock, () -> policy.get().quotas(), AllocationListener.NONE);
        NettyTransport transport = NettyTransport.best();
        group = transport.newEventLoopGroup(1, "embedded-turn-relay");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        RelaySockets.Family ipv4 = new RelaySockets.Family(loopback, loopback,
                new RelayPortPool(config.relayPorts().low(), config.relayPorts().high(), clock));
        context = new ServerContext(config, clock, policy, table, new TurnMetrics(registry, table),
                new RelaySockets(transport, group, ipv4, null));
        dispatcher = new RequestDispatcher(context);
    }

    /**
     * A UDP listener socket of the server. Read what it sends with {@link #sent}: writes may come from the relay's
     * event loop too (data from peers), so they are collected in a thread-safe queue instead of the channel's own.
     */
    public EmbeddedChannel udp() {
        Outbox outbox = new Outbox();
        EmbeddedChannel channel = new EmbeddedChannel(outbox,
                new Guard(new UdpListenerHandler(context, dispatcher, NatSockets.PRIMARY)));
        channel.attr(OUTBOX).set(outbox);
        return channel;
    }

    /** A new TCP connection from {@code client} to {@link #SERVER}: the stream framer and the connection handler. */
    public EmbeddedChannel tcp(InetSocketAddress client) throws Exception {
        StreamConnectionHandler connection = new StreamConnectionHandler(context, dispatcher, Transport.TCP);
        Outbox outbox = new Outbox();
        EmbeddedChannel channel = new HandlerFixture.StreamChannel(client, SERVER, outbox,
                new Guard(new StreamFrameDecoder(connection::hasAllocation)), new Guard(connection));
        channel.attr(OUTBOX).set(outbox);
        return channel;
    }

    /**
     * The next message the server wrote to {@code channel} (a {@link io.netty.channel.socket.DatagramPacket} over UDP,
     * a {@link io.netty.buffer.ByteBuf} over TCP), or null; the caller releases it.
     */
    public static Object sent(EmbeddedChannel channel) {
        return channel.attr(OUTBOX).get().written.poll();
    }

    /** A nonce the server accepts from {@code client} now. */
    public String nonce(InetAddress client) {
        return context.nonces().issue(client);
    }

    public AllocationTable table() {
        return context.table();
    }

    /** Expires allocations, permissions, channels, reservations and cached responses as of the clock's time. */
    public void sweep() {
        context.sweep();
    }

    /** Exceptions that escaped the handlers; empty when the server coped with everything. */
    public List<Throwable> escaped() {
        return escaped;
    }

    /** Ends every allocation (closing its relay sockets) and stops the relay event loop. */
    @Override
    public void close() {
        context.table().removeAll(CloseReason.SHUTDOWN);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Takes every write at the head of the pipeline, from whatever thread, and completes it. */
    private static final class Outbox extends io.netty.channel.ChannelOutboundHandlerAdapter {
        private final java.util.Queue<Object> written = new java.util.concurrent.ConcurrentLinkedQueue<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
            written.add(msg);
            promise.trySuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            // nothing is buffered
        }
    }

    /** The framer's deliberate refusal of a stream that is neither STUN nor ChannelData, as opposed to a bug. */
    private static boolean refusal(Throwable e) {
        return e instanceof io.netty.handler.codec.CorruptedFrameException;
    }

    /** Passes every event to the wrapped handler and records what its {@code channelRead} throws. */
    private final class Guard extends ChannelDuplexHandler {
        private final io.netty.channel.ChannelInboundHandler inner;

        Guard(io.netty.channel.ChannelInboundHandler inner) {
            this.inner = inner;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
            inner.handlerAdded(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
            inner.handlerRemoved(ctx);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            inner.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            inner.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            try {
                inner.channelRead(ctx, msg);
            } catch (Exception | Error e) {
                if (!refusal(e)) {
                    escaped.add(e);
                }
                inner.exceptionCaught(ctx, e);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            inner.channelReadComplete(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (!refusal(cause)) {
                escaped.add(cause);
            }
            inner.exceptionCaught(ctx, cause);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            inner.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            inner.channelWritabilityChanged(ctx);
        }

        @Override
        public boolean isSharable() {
            return false;
        }
    }
}
