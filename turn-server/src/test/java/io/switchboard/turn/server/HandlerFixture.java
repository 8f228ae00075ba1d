package io.switchboard.turn.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.Realm;
import io.switchboard.stun.StunAttribute;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.Username;
import io.switchboard.transport.NettyTransport;
import io.switchboard.turn.FakeClock;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnPolicy;
import io.switchboard.turn.TurnServerConfig;
import io.switchboard.turn.allocation.AllocationTable;
import io.switchboard.turn.allocation.AllocationListener;
import io.switchboard.turn.allocation.RelayPortPool;
import io.switchboard.turn.allocation.Transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server context without listener sockets: handlers run in Netty's EmbeddedChannel, relay sockets are real UDP
 * sockets on 127.0.0.1. Every inbound buffer must be released by the handlers, which the helpers assert.
 */
final class HandlerFixture implements AutoCloseable {
    static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478);
    static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001);

    final FakeClock clock = new FakeClock();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TurnServerConfig config;
    final AtomicReference<TurnPolicy> policy;
    final AllocationTable table;
    final ServerContext context;
    final RequestDispatcher dispatcher;
    final RelayPortPool pool;
    private final EventLoopGroup group;

    HandlerFixture(UnaryOperator<TurnServerConfig.Builder> customize) {
        config = customize.apply(TestServers.config()).build();
        policy = new AtomicReference<>(config.policy());
        table = new AllocationTable(clock, () -> policy.get().quotas(), AllocationListener.NONE);
        NettyTransport transport = NettyTransport.best();
        group = transport.newEventLoopGroup(1, "test-relay");
        pool = new RelayPortPool(config.relayPorts().low(), config.relayPorts().high(), clock);
        RelaySockets.Family ipv4 = new RelaySockets.Family(InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress(), pool);
        RelaySockets.Family ipv6 = config.ipv6RelayAddress().map(a -> new RelaySockets.Family(a, a,
                new RelayPortPool(config.relayPorts().low(), config.relayPorts().high(), clock))).orElse(null);
        context = new ServerContext(config, clock, policy, table, new TurnMetrics(registry, table),
                new RelaySockets(transport, group, ipv4, ipv6));
        dispatcher = new RequestDispatcher(context);
    }

    HandlerFixture() {
        this(b -> b);
    }

    /** A UDP listener handler in an EmbeddedChannel. */
    EmbeddedChannel udp() {
        return new EmbeddedChannel(new UdpListenerHandler(context, dispatcher, NatSockets.PRIMARY));
    }

    /** A TCP connection from {@link #CLIENT} to {@link #SERVER} in an EmbeddedChannel. */
    EmbeddedChannel tcp() throws Exception {
        StreamConnectionHandler connection = new StreamConnectionHandler(context, dispatcher, Transport.TCP);
        return new StreamChannel(CLIENT, SERVER, new StreamFrameDecoder(connection::hasAllocation), connection);
    }

    /** Sends a request from {@link #CLIENT} and returns the one response, checking the request buffer was released. */
    StunMessage exchange(EmbeddedChannel channel, StunMessage request) throws Exception {
        send(channel, request.toBytes());
        DatagramPacket response = channel.readOutbound();
        assertThat(response).as("a response to " + request.type()).isNotNull();
        try {
            assertThat(response.recipient()).isEqualTo(CLIENT);
            return StunMessage.decode(ByteBufUtil.getBytes(response.content()));
        } finally {
            response.release();
        }
    }

    /**
     * Sends a datagram from {@link #CLIENT}; asserts the handler released it (at once, or once a relay socket on its own
     * event loop has written the slice it kept).
     */
    void send(EmbeddedChannel channel, byte[] datagram) {
        ByteBuf content = Unpooled.directBuffer(datagram.length).writeBytes(datagram);
        channel.writeInbound(new DatagramPacket(content, SERVER, CLIENT));
        org.awaitility.Awaitility.await("inbound datagram released").until(() -> content.refCnt() == 0);
    }

    /** Every datagram the handler wrote, decoded, in order; each released. */
    List<StunMessage> drainResponses(EmbeddedChannel channel) throws Exception {
        List<StunMessage> out = new ArrayList<>();
        for (DatagramPacket p; (p = channel.readOutbound()) != null; ) {
            try {
                out.add(StunMessage.decode(ByteBufUtil.getBytes(p.content())));
            } finally {
                p.release();
            }
        }
        return out;
    }

    /** A request signed for {@code user} with a nonce issued to {@link #CLIENT}, MESSAGE-INTEGRITY (SHA-1). */
    StunMessage signed(MessageType type, String user, String password, StunAttribute... attributes) {
        StunMessage.Builder builder = StunMessage.builder(type);
        for (StunAttribute a : attributes) {
            builder.add(a);
        }
        builder.add(new Username(user)).add(new Realm(TestServers.REALM))
                .add(new Nonce(context.nonces().issue(CLIENT.getAddress())));
        return builder.messageIntegrity(IntegrityKeys.longTermMd5(user, TestServers.REALM, password)).build();
    }

    StunMessage signed(MessageType type, StunAttribute... attributes) {
        return signed(type, TestServers.USER, TestServers.PASSWORD, attributes);
    }

    byte[] key() {
        return IntegrityKeys.longTermMd5(TestServers.USER, TestServers.REALM, TestServers.PASSWORD);
    }

    double counter(String name, String tag, String value) {
        Counter counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        table.removeAll(io.switchboard.turn.allocation.CloseReason.SHUTDOWN);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** An EmbeddedChannel that reports socket addresses, as a TCP connection would. */
    static final class StreamChannel extends EmbeddedChannel {
        private final InetSocketAddress remote;
        private final InetSocketAddress local;

        StreamChannel(InetSocketAddress remote, InetSocketAddress local, ChannelHandler... handlers) throws Exception {
            super(DefaultChannelId.newInstance(), false, false);
            this.remote = remote;
            this.local = local;
            pipeline().addLast(handlers);
            register();
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }

        @Override
        protected SocketAddress localAddress0() {
            return local;
        }
    }
}
