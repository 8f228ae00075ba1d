package io.switchboard.turn.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.transport.NettyTransport;
import io.switchboard.turn.BoundListener;
import io.switchboard.turn.TurnPolicy;
import io.switchboard.turn.TurnServerConfig;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.AllocationListener;
import io.switchboard.turn.allocation.AllocationTable;
import io.switchboard.turn.allocation.CloseReason;
import io.switchboard.turn.allocation.RelayEndpoint;
import io.switchboard.turn.allocation.RelayPortPool;
import io.switchboard.turn.allocation.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running STUN/TURN server behind {@link io.switchboard.turn.TurnServer}: one event loop group for listeners and
 * relays, UDP listener sockets (one per event loop with SO_REUSEPORT on epoll), a TCP listener on the same port, TLS
 * when configured, the RFC 5780 sockets when an alternate address is, and a sweeper that expires state every second.
 */
public final class ServerRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.turn");
    private static final int PORT_ATTEMPTS = 8;

    private final EventLoopGroup group;
    private final ServerContext context;
    private final AtomicReference<TurnPolicy> policy;
    private final List<Channel> channels = new ArrayList<>();
    private final List<BoundListener> listeners = new ArrayList<>();
    private ScheduledFuture<?> sweeper;

    private ServerRuntime(TurnServerConfig config, MeterRegistry registry, Clock clock) {
        NettyTransport transport = NettyTransport.best();
        int threads = config.ioThreads() == 0 ? Runtime.getRuntime().availableProcessors() : config.ioThreads();
        this.group = transport.newEventLoopGroup(threads, "turn");
        this.policy = new AtomicReference<>(config.policy());
        AllocationTable table = new AllocationTable(clock, () -> policy.get().quotas(), new AllocationLog(clock));
        TurnMetrics metrics = new TurnMetrics(registry, table);
        RelaySockets relays = new RelaySockets(transport, group, ipv4Family(config, clock), ipv6Family(config, clock).orElse(null));
        this.context = new ServerContext(config, clock, policy, table, metrics, relays);
    }

    /** Binds every listener; on failure nothing stays open. */
    public static ServerRuntime start(TurnServerConfig config, MeterRegistry registry, Clock clock) {
        ServerRuntime runtime = new ServerRuntime(config, registry, clock);
        try {
            runtime.bind(config, NettyTransport.best());
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    public List<BoundListener> listeners() {
        return Collections.unmodifiableList(listeners);
    }

    public TurnPolicy policy() {
        return policy.get();
    }

    public void reload(TurnPolicy next) {
        policy.set(next);
    }

    /** What every handler shares, including the drain switch. */
    public ServerContext context() {
        return context;
    }

    public AllocationTable table() {
        return context.table();
    }

    /** Runs the expiry sweep now (the sweeper also does every second). */
    public void sweep() {
        context.sweep();
    }

    private void bind(TurnServerConfig config, NettyTransport transport) {
        RequestDispatcher dispatcher = new RequestDispatcher(context);
        InetAddress address = config.bindAddress();
        for (int attempt = 1; ; attempt++) {
            try {
                bindPrimary(config, transport, dispatcher, address);
                break;
            } catch (PortTakenException e) {
                closeChannels();
                if (config.port() != 0 || attempt == PORT_ATTEMPTS) {
                    throw new UncheckedIOException(new IOException(e.getMessage(), e.getCause()));
                }
            }
        }
        if (config.sslContext().isPresent()) {
            Channel tls = bindStream(transport, dispatcher, new InetSocketAddress(address, config.tlsPort()),
                    config.sslContext().get(), Transport.TLS);
            listeners.add(new BoundListener("turns", Transport.TLS, (InetSocketAddress) tls.localAddress()));
        }
        EventLoop sweepLoop = group.next();
        sweeper = sweepLoop.scheduleAtFixedRate(this::sweepSafely, 1, 1, TimeUnit.SECONDS);
    }

    private void bindPrimary(TurnServerConfig config, NettyTransport transport, RequestDispatcher dispatcher,
                             InetAddress address) throws PortTakenException {
        boolean reusePort = transport.supportsReusePort();
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        int count = reusePort ? loops.size() : 1;
        int port = config.port();
        Channel first = null;
        for (int i = 0; i < count; i++) {
            Channel udp = bindUdp(transport, loops.get(i), new InetSocketAddress(address, port), reusePort, dispatcher,
                    NatSockets.PRIMARY);
            if (first == null) {
                first = udp;
                port = ((InetSocketAddress) udp.localAddress()).getPort();
            }
        }
        InetSocketAddress udpAddress = (InetSocketAddress) first.localAddress();
        Channel tcp;
        try {
            tcp = bindStream(transport, dispatcher, new InetSocketAddress(address, port), null, Transport.TCP);
        } catch (UncheckedIOException e) {
            throw new PortTakenException("--turn-port: TCP port " + port + " is taken", e.getCause());
        }
        listeners.add(new BoundListener("turn-udp", Transport.UDP, udpAddress));
        listeners.add(new BoundListener("turn-tcp", Transport.TCP, (InetSocketAddress) tcp.localAddress()));
        if (config.alternateAddress().isPresent()) {
            bindNatSockets(config, transport, dispatcher, first, udpAddress);
        }
    }

    private void bindNatSockets(TurnServerConfig config, NettyTransport transport, RequestDispatcher dispatcher,
                                Channel primary, InetSocketAddress primaryAddress) throws PortTakenException {
        InetAddress alternate = config.alternateAddress().get();
        NatSockets nat = new NatSockets();
        nat.set(NatSockets.PRIMARY, primary, primaryAddress);
        Channel altPort = bindUdp(transport, group.next(), new InetSocketAddress(primaryAddress.getAddress(),
                config.alternatePort()), false, dispatcher, NatSockets.ALTERNATE_PORT);
        InetSocketAddress altPortAddress = (InetSocketAddress) altPort.localAddress();
        nat.set(NatSockets.ALTERNATE_PORT, altPort, altPortAddress);
        Channel altIp = bindUdp(transport, group.next(), new InetSocketAddress(alternate, primaryAddress.getPort()), false,
                dispatcher, NatSockets.ALTERNATE_IP);
        nat.set(NatSockets.ALTERNATE_IP, altIp, (InetSocketAddress) altIp.localAddress());
        Channel altBoth = bindUdp(transport, group.next(), new InetSocketAddress(alternate, altPortAddress.getPort()), false,
                dispatcher, NatSockets.ALTERNATE_IP | NatSockets.ALTERNATE_PORT);
        nat.set(NatSockets.ALTERNATE_IP | NatSockets.ALTERNATE_PORT, altBoth, (InetSocketAddress) altBoth.localAddress());
        context.natSockets(nat);
        listeners.add(new BoundListener("stun-alt-port", Transport.UDP, altPortAddress));
        listeners.add(new BoundListener("stun-alt-ip", Transport.UDP, nat.address(NatSockets.ALTERNATE_IP)));
        listeners.add(new BoundListener("stun-alt-ip-port", Transport.UDP,
                nat.address(NatSockets.ALTERNATE_IP | NatSockets.ALTERNATE_PORT)));
    }

    private Channel bindUdp(NettyTransport transport, EventLoop loop, InetSocketAddress address, boolean reusePort,
                            RequestDispatcher dispatcher, int natPosition) throws PortTakenException {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, RelaySockets.LISTENER_RECEIVE_BUFFER)
                .option(ChannelOption.SO_SNDBUF, RelaySockets.SOCKET_BUFFER)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(RelaySockets.RECEIVE_BUFFER)
                                .maxMessagesPerRead(32));
                        ch.pipeline().addLast(new UdpListenerHandler(context, dispatcher, natPosition));
                    }
                });
        if (reusePort) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new PortTakenException("cannot bind UDP " + address + ": " + bound.cause().getMessage(), bound.cause());
        }
        channels.add(bound.channel());
        return bound.channel();
    }

    private Channel bindStream(NettyTransport transport, RequestDispatcher dispatcher, InetSocketAddress address,
                               SslContext ssl, Transport kind) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        }
                        StreamConnectionHandler connection = new StreamConnectionHandler(context, dispatcher, kind);
                        ch.pipeline().addLast(new StreamFrameDecoder(connection::hasAllocation), connection);
                    }
                });
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            String option = kind == Transport.TLS ? "--turns-port" : "--turn-port";
            throw new UncheckedIOException(new IOException(option + ": cannot bind TCP " + address + ": "
                    + bound.cause().getMessage(), bound.cause()));
        }
        channels.add(bound.channel());
        return bound.channel();
    }

    private void sweepSafely() {
        try {
            context.sweep();
        } catch (RuntimeException e) {
            LOG.warn("expiry sweep failed", e);
        }
    }

    private void closeChannels() {
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly();
        }
        channels.clear();
        listeners.clear();
        context.natSockets(null);
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        closeChannels();
        context.table().removeAll(CloseReason.SHUTDOWN);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static RelaySockets.Family ipv4Family(TurnServerConfig config, Clock clock) {
        InetAddress bind = config.bindAddress() instanceof Inet4Address ? config.bindAddress() : anyIpv4();
        InetAddress advertised = config.externalIp().filter(a -> a instanceof Inet4Address)
                .orElseGet(() -> bind.isAnyLocalAddress() ? localIpv4() : bind);
        return new RelaySockets.Family(bind, advertised,
                new RelayPortPool(config.relayPorts().low(), config.relayPorts().high(), clock));
    }

    private static Optional<RelaySockets.Family> ipv6Family(TurnServerConfig config, Clock clock) {
        Optional<InetAddress> bind = config.ipv6RelayAddress().or(() -> Optional.of(config.bindAddress())
                .filter(a -> a instanceof Inet6Address && !a.isAnyLocalAddress()));
        return bind.map(address -> new RelaySockets.Family(address,
                config.externalIp().filter(a -> a instanceof Inet6Address).orElse(address),
                new RelayPortPool(config.relayPorts().low(), config.relayPorts().high(), clock)));
    }

    private static InetAddress anyIpv4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first non-loopback IPv4 address of an interface that is up, for relays bound to the wildcard. */
    private static InetAddress localIpv4() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return a;
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces: {}", e.toString());
        }
        return InetAddress.getLoopbackAddress();
    }

    private static final class PortTakenException extends Exception {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One log line per allocation start and end, with the reason; never credentials (ARCHITECTURE "Logs"). */
    private static final class AllocationLog implements AllocationListener {
        private final Clock clock;

        AllocationLog(Clock clock) {
            this.clock = clock;
        }

        @Override
        public void started(Allocation allocation) {
            if (!LOG.isInfoEnabled()) {
                return;
            }
            LOG.info("allocation started {} user={} relay={} lifetime={}s", allocation.fiveTuple(), allocation.username(),
                    relays(allocation), Math.max(0, (allocation.expiresAtMillis() - clock.millis()) / 1000));
        }

        @Override
        public void ended(Allocation allocation, CloseReason reason) {
            LOG.info("allocation ended {} user={} reason={}", allocation.fiveTuple(), allocation.username(), reason.tag());
        }

        private static String relays(Allocation allocation) {
            StringBuilder text = new StringBuilder();
            for (RelayEndpoint relay : allocation.relays()) {
                if (text.length() > 0) {
                    text.append(',');
                }
                text.append(relay.relayedAddress().getAddress().getHostAddress()).append(':')
                        .append(relay.relayedAddress().getPort());
            }
            return text.toString();
        }
    }
}
