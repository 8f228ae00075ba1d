package io.switchboard.turn.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.switchboard.stun.RequestedAddressFamily;
import io.switchboard.transport.NettyTransport;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.AllocationException;
import io.switchboard.turn.allocation.RelayPortPool;

import java.lang.reflect.InvocationTargetException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Opens relay sockets (RFC 8656 §7.2 step 9): a port from the pool of the requested address family, bound on the
 * event loop of the client's listener so that the allocation stays on one thread. Binding runs synchronously there; a
 * port some other program holds is skipped.
 */
final class RelaySockets {
    /** Receive buffer of relay and listener sockets: a datagram that fills it may have been cut and is dropped. */
    static final int RECEIVE_BUFFER = 4096;
    static final int SOCKET_BUFFER = 1 << 20;
    /**
     * Receive buffer of a UDP listener, which every client of its event loop shares (a relay socket serves one
     * allocation): room for a burst from all of them; Linux caps it at net.core.rmem_max.
     */
    static final int LISTENER_RECEIVE_BUFFER = 4 << 20;
    private static final int MAX_BIND_ATTEMPTS = 16;
    /**
     * Read size of RFC 6062 peer and data connections: large, so that whatever the kernel holds moves in one piece and
     * message boundaries of the sender survive as far as TCP allows.
     */
    static final int PIPE_READ = 65536;
    /** Relay sockets receive into buffers with room for the header in front, so it is written in place. */
    static final HeadroomRecvByteBufAllocator RELAY_RECEIVE =
            new HeadroomRecvByteBufAllocator(RECEIVE_BUFFER - HeadroomRecvByteBufAllocator.HEADROOM
                    - HeadroomRecvByteBufAllocator.TAILROOM, 32);

    /** Which port an Allocate asks for. */
    sealed interface PortChoice permits AnyPort, EvenPort, Token {
    }

    record AnyPort() implements PortChoice {
    }

    /** EVEN-PORT (RFC 8656 §14.6), with the R bit asking to keep the next port. */
    record EvenPort(boolean reserveNext) implements PortChoice {
    }

    /** RESERVATION-TOKEN (RFC 8656 §14.9). */
    record Token(long token) implements PortChoice {
    }

    /** One address family's relay address: where sockets bind, what is advertised, and its ports. */
    record Family(InetAddress bindAddress, InetAddress advertisedAddress, RelayPortPool pool) {
    }

    /** A bound relay and, for EVEN-PORT with R, the token of the port kept next to it. */
    record Opened(UdpRelay relay, long reservationToken) {
    }

    private final java.lang.reflect.Constructor<? extends DatagramChannel> constructor;
    /** SOL_SOCKET (1) / SO_REUSEPORT (15) on Linux, for connecting sockets that share the relayed port. */
    private static final io.netty.channel.unix.IntegerUnixChannelOption CLIENT_SO_REUSEPORT =
            new io.netty.channel.unix.IntegerUnixChannelOption("SO_REUSEPORT", 1, 15);

    private final EventLoopGroup group;
    private final NettyTransport transport;
    private final Family ipv4;
    private final Family ipv6;

    RelaySockets(NettyTransport transport, EventLoopGroup group, Family ipv4, Family ipv6) {
        try {
            this.constructor = transport.datagramChannel().getConstructor(SocketProtocolFamily.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(transport.datagramChannel().getSimpleName() + " cannot be made per family", e);
        }
        this.group = group;
        this.transport = transport;
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }

    /** The family for RequestedAddressFamily.IPV4 or IPV6, or null when this server has no relay address of it. */
    Family family(int family) {
        if (family == RequestedAddressFamily.IPV4) {
            return ipv4;
        }
        return family == RequestedAddressFamily.IPV6 ? ipv6 : null;
    }

    /** Whether the IP is one of the advertised relay addresses (cheap: compared with one or two addresses). */
    boolean isRelayIp(InetAddress ip) {
        return (ipv4 != null && ipv4.advertisedAddress.equals(ip)) || (ipv6 != null && ipv6.advertisedAddress.equals(ip));
    }

    /** The family whose pool holds this reservation token, or null. */
    Family familyHolding(long token) {
        if (ipv4 != null && ipv4.pool().holds(token)) {
            return ipv4;
        }
        return ipv6 != null && ipv6.pool().holds(token) ? ipv6 : null;
    }

    void expireReservations() {
        if (ipv4 != null) {
            ipv4.pool().expireReservations();
        }
        if (ipv6 != null) {
            ipv6.pool().expireReservations();
        }
    }

    /**
     * Binds a relay socket for the allocation.
     *
     * @param preferred the event loop of the client's listener; used when it belongs to the relay group
     * @throws AllocationException 508 when no port can be had
     */
    Opened open(Family family, PortChoice choice, ServerContext context, Allocation allocation, ClientLink link,
                EventLoop preferred) throws AllocationException {
        EventLoop loop = preferred != null && preferred.parent() == group ? preferred : group.next();
        List<Integer> busy = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < MAX_BIND_ATTEMPTS; attempt++) {
                int port;
                long token = 0;
                if (choice instanceof Token) {
                    OptionalInt claimed = family.pool().claim(((Token) choice).token());
                    if (claimed.isEmpty()) {
                        throw new AllocationException(508, "reservation token unknown or expired");
                    }
                    port = claimed.getAsInt();
                } else if (choice instanceof EvenPort && ((EvenPort) choice).reserveNext()) {
                    RelayPortPool.Reservation pair = family.pool().acquireEvenPair()
                            .orElseThrow(() -> new AllocationException(508, "no pair of relay ports free"));
                    port = pair.port();
                    token = pair.token();
                } else {
                    OptionalInt picked = choice instanceof EvenPort ? family.pool().acquireEven() : family.pool().acquire();
                    port = picked.orElseThrow(() -> new AllocationException(508, "no relay port free"));
                }
                UdpRelay relay = new UdpRelay(context, allocation, link, family.pool(), port,
                        new InetSocketAddress(family.advertisedAddress(), port));
                DatagramChannel channel = newChannel(family.bindAddress());
                channel.config().setOption(ChannelOption.SO_RCVBUF, SOCKET_BUFFER);
                channel.config().setOption(ChannelOption.SO_SNDBUF, SOCKET_BUFFER);
                channel.config().setRecvByteBufAllocator(RELAY_RECEIVE);
                channel.pipeline().addLast(relay);
                ChannelFuture registered = loop.register(channel).awaitUninterruptibly();
                if (!registered.isSuccess()) {
                    channel.unsafe().closeForcibly();
                    family.pool().release(port);
                    throw new AllocationException(508, "relay socket could not be registered: " + registered.cause());
                }
                ChannelFuture bound = channel.bind(new InetSocketAddress(family.bindAddress(), port)).awaitUninterruptibly();
                if (bound.isSuccess()) {
                    relay.channel(channel);
                    return new Opened(relay, token);
                }
                channel.close();
                if (choice instanceof Token) {
                    family.pool().release(port);
                    throw new AllocationException(508, "reserved relay port " + port + " is in use");
                }
                if (token != 0) {
                    family.pool().claim(token).ifPresent(family.pool()::release);
                }
                busy.add(port);
            }
            throw new AllocationException(508, "relay ports " + busy + " are held by other programs");
        } finally {
            for (int port : busy) {
                family.pool().release(port);
            }
        }
    }

    /**
     * Opens a TCP relayed address (RFC 6062 §5.1): a listening socket on a free port of the pool, bound with SO_REUSEPORT
     * so that Connect can open outgoing connections from the same address and port.
     *
     * @throws AllocationException 508 when no port can be had
     */
    TcpRelay openTcp(Family family, ServerContext context, Allocation allocation, ClientLink link, EventLoop preferred)
            throws AllocationException {
        EventLoop loop = preferred != null && preferred.parent() == group ? preferred : group.next();
        List<Integer> busy = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < MAX_BIND_ATTEMPTS; attempt++) {
                int port = family.pool().acquire().orElseThrow(() -> new AllocationException(508, "no relay port free"));
                TcpRelay relay = new TcpRelay(context, allocation, link, family.pool(), port,
                        new InetSocketAddress(family.advertisedAddress(), port), new InetSocketAddress(family.bindAddress(), port));
                ServerChannel server = newServerChannel();
                server.config().setOption(ChannelOption.SO_REUSEADDR, true);
                reusePort(server);
                TcpRelay.Acceptor acceptor = relay.new Acceptor();
                server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        Channel child = (Channel) msg;
                        child.config().setAutoRead(false);
                        child.config().setOption(ChannelOption.TCP_NODELAY, true);
                        child.config().setRecvByteBufAllocator(new io.netty.channel.FixedRecvByteBufAllocator(PIPE_READ));
                        child.pipeline().addLast(acceptor);
                        ctx.channel().eventLoop().register(child);
                    }
                });
                ChannelFuture registered = loop.register(server).awaitUninterruptibly();
                if (!registered.isSuccess()) {
                    server.unsafe().closeForcibly();
                    family.pool().release(port);
                    throw new AllocationException(508, "relay socket could not be registered: " + registered.cause());
                }
                ChannelFuture bound = server.bind(relay.bindAddress()).awaitUninterruptibly();
                if (bound.isSuccess()) {
                    relay.listener(server);
                    return relay;
                }
                server.close();
                busy.add(port);
            }
            throw new AllocationException(508, "relay ports " + busy + " are held by other programs");
        } finally {
            for (int port : busy) {
                family.pool().release(port);
            }
        }
    }

    /** A Bootstrap for an outgoing peer connection from the TCP relayed address (RFC 6062 §5.2). */
    Bootstrap peerConnection(TcpRelay relay, EventLoop loop) {
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) java.util.concurrent.TimeUnit.SECONDS.toMillis(30))
                .localAddress(relay.bindAddress())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.config().setRecvByteBufAllocator(new io.netty.channel.FixedRecvByteBufAllocator(PIPE_READ));
                    }
                });
        if (transport.supportsReusePort()) {
            // Netty's epoll client sockets have no SO_REUSEPORT option of their own: set SOL_SOCKET/SO_REUSEPORT (Linux).
            bootstrap.option(CLIENT_SO_REUSEPORT, 1);
        }
        return bootstrap;
    }

    private void reusePort(Channel channel) {
        if (transport.supportsReusePort()) {
            channel.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
        }
    }

    private ServerChannel newServerChannel() {
        try {
            return transport.serverChannel().getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a " + transport.serverChannel().getSimpleName(), e);
        }
    }

    private DatagramChannel newChannel(InetAddress bindAddress) {
        SocketProtocolFamily protocol = bindAddress instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        try {
            return constructor.newInstance(protocol);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot create a " + constructor.getDeclaringClass().getSimpleName(), e);
        }
    }
}
