package io.switchboard.signaling;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.signaling.cluster.ClusterDirectory;
import io.switchboard.signaling.http.HttpRouter;
import io.switchboard.signaling.http.HttpRoutes;
import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.protocol.MessageDecoder;
import io.switchboard.signaling.room.Peer;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.room.RoomDirectory;
import io.switchboard.signaling.room.Scheduler;
import io.switchboard.signaling.session.Admission;
import io.switchboard.signaling.session.SessionContext;
import io.switchboard.signaling.session.SignalingMetrics;
import io.switchboard.signaling.sse.SseSessions;
import io.switchboard.transport.NettyTransport;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling server: one HTTP/1.1 listener (and optionally a TLS one) carrying signaling protocol v1 over
 * WebSocket ({@code /ws}) and over Server-Sent Events plus POST ({@code /api/events}, {@code /api/signal}),
 * {@code /api/ice-servers}, the application's extra routes and the web client's static files.
 *
 * <pre>{@code
 * SignalingServer server = SignalingServer.start(config, iceServersProvider, HttpRoutes.empty(), meterRegistry);
 * InetSocketAddress bound = server.address();
 * server.close();
 * }</pre>
 */
public final class SignalingServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingServer.class);

    /** Default cap on client connections: twice the 50,000 idle WebSockets a 1 GiB heap is sized for. */
    public static final int DEFAULT_MAX_CONNECTIONS = 100_000;

    private final EventLoopGroup group;
    private final List<Channel> listeners;
    private final InetSocketAddress address;
    private final Optional<InetSocketAddress> tlsAddress;
    private final Set<PeerLink> openLinks;
    private final RoomDirectory directory;
    private final Optional<ClusterDirectory> cluster;
    private final Set<Channel> connections;
    private final Admission admission;
    private volatile boolean closed;

    private SignalingServer(EventLoopGroup group, List<Channel> listeners, InetSocketAddress address,
                            Optional<InetSocketAddress> tlsAddress, Set<PeerLink> openLinks, RoomDirectory directory,
                            Optional<ClusterDirectory> cluster, Set<Channel> connections, Admission admission) {
        this.admission = admission;
        this.group = group;
        this.connections = connections;
        this.listeners = listeners;
        this.address = address;
        this.tlsAddress = tlsAddress;
        this.openLinks = openLinks;
        this.directory = directory;
        this.cluster = cluster;
    }

    /** Starts a plain HTTP server with these settings; throws {@link IllegalStateException} if it cannot bind. */
    public static SignalingServer start(SignalingConfig config, IceServersProvider iceServers, HttpRoutes routes,
                                        MeterRegistry meterRegistry) {
        return builder(config).iceServers(iceServers).routes(routes).meterRegistry(meterRegistry).start();
    }

    public static Builder builder(SignalingConfig config) {
        return new Builder(config);
    }

    /** The address the HTTP listener is bound to (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    /** The address of the HTTPS/WSS listener, when TLS was configured. */
    public Optional<InetSocketAddress> tlsAddress() {
        return tlsAddress;
    }

    /** Rooms with at least one peer right now (on a clustered node: rooms with a peer connected to this node). */
    public int roomCount() {
        return cluster.map(ClusterDirectory::roomCount).orElseGet(directory::roomCount);
    }

    /**
     * Peers in rooms right now, connected or within their resume grace period (on a clustered node: peers connected
     * to this node).
     */
    public int peerCount() {
        return cluster.map(ClusterDirectory::peerCount).orElseGet(directory::peerCount);
    }

    /**
     * Whether this node can serve the cluster: always true on a standalone node; on a clustered one, false while it
     * cannot reach Redis (it then relays only between its own peers) until it has handed its peers back. For
     * {@code /readyz}.
     */
    public boolean clusterHealthy() {
        return cluster.map(ClusterDirectory::healthy).orElse(true);
    }

    /** This node's id in the cluster; empty on a standalone node. */
    public Optional<String> nodeId() {
        return cluster.map(ClusterDirectory::nodeId);
    }

    /**
     * Dies abruptly, as a killed process would: the connection to Redis and every client connection close without a
     * goodbye, and nothing is cleaned up in Redis (the other nodes notice when this node's lease runs out). For
     * failover tests.
     */
    void crash() {
        if (closed) {
            return;
        }
        closed = true;
        cluster.ifPresent(ClusterDirectory::crash);
        for (Channel listener : listeners) {
            listener.close();
        }
        for (Channel connection : List.copyOf(connections)) {
            connection.config().setOption(ChannelOption.SO_LINGER, 0); // reset, as the kernel does for a killed process
            connection.close();
        }
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("signaling crashed on {}", address);
    }

    /**
     * Starts draining before a stop: joins are refused with {@code draining}, the listeners stop accepting, and every
     * connected client gets {@code reconnect} and then a close with 1001, so that it goes to another server. Call
     * {@link #close()} afterwards.
     */
    public void drain() {
        if (closed) {
            return;
        }
        int sent = Drain.start(admission, listeners, openLinks);
        LOG.info("signaling draining on {}: joins refused, {} connection(s) told to reconnect elsewhere", address, sent);
    }

    /** Stops listening, tells every client with a shutting-down error, and releases the threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        for (PeerLink link : List.copyOf(openLinks)) {
            link.close(ErrorCode.SHUTTING_DOWN, "the server is shutting down");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!openLinks.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        cluster.ifPresent(ClusterDirectory::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("signaling stopped on {}", address);
    }

    /** Builds and starts a {@link SignalingServer}. */
    public static final class Builder {
        private final SignalingConfig config;
        private IceServersProvider iceServers = IceServersProvider.none();
        private HttpRoutes routes = HttpRoutes.empty();
        private MeterRegistry meterRegistry;
        private ClassLoader classLoader = SignalingServer.class.getClassLoader();
        private Clock clock = Clock.systemUTC();
        private SslContext sslContext;
        private int tlsPort = -1;
        private int threads;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;

        private Builder(SignalingConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The source of {@code /api/ice-servers} and of {@code joined.iceServers}; none by default. */
        public Builder iceServers(IceServersProvider value) {
            iceServers = Objects.requireNonNull(value);
            return this;
        }

        /** Extra routes of the application, e.g. {@code /healthz}. */
        public Builder routes(HttpRoutes value) {
            routes = Objects.requireNonNull(value);
            return this;
        }

        /** Where the {@code switchboard.signaling.*} meters go (required). */
        public Builder meterRegistry(MeterRegistry value) {
            meterRegistry = Objects.requireNonNull(value);
            return this;
        }

        /** Where static files ({@code io/switchboard/web/...}, WebJars) are read from; this class's loader by default. */
        public Builder classLoader(ClassLoader value) {
            classLoader = Objects.requireNonNull(value);
            return this;
        }

        /** The clock access tokens are checked against; the system clock by default. */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value);
            return this;
        }

        /** Also serve HTTPS and WSS with {@code sslContext} on {@code port} (0 = any) of the same bind address. */
        public Builder tls(SslContext sslContext, int port) {
            if (!sslContext.isServer()) {
                throw new IllegalArgumentException("--https-port: the TLS context must be a server context");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--https-port: must be between 0 and 65535, got " + port);
            }
            this.sslContext = sslContext;
            this.tlsPort = port;
            return this;
        }

        /** Event loop threads; 0 (the default) means one per core, so a relay rarely waits for another thread's turn. */
        public Builder threads(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("threads must not be negative, got " + value);
            }
            threads = value;
            return this;
        }

        /**
         * Most client connections held at once, over all listeners (default {@value #DEFAULT_MAX_CONNECTIONS}); a
         * connection beyond it is closed as soon as it is accepted, so a connection flood cannot take every file
         * descriptor and byte of heap.
         */
        public Builder maxConnections(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("--max-connections: must be at least 1, got " + value);
            }
            maxConnections = value;
            return this;
        }

        /** Binds the listeners; throws {@link IllegalStateException} naming the option if a port cannot be bound. */
        public SignalingServer start() {
            Objects.requireNonNull(meterRegistry, "meterRegistry");
            NettyTransport transport = NettyTransport.best();
            int loops = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            EventLoopGroup group = transport.newEventLoopGroup(loops, "signaling");
            try {
                SignalingMetrics metrics = new SignalingMetrics(meterRegistry);
                RoomDirectory directory = new RoomDirectory(config.roomCapacity(), config.resumeGrace(),
                        config.resumeBacklog(), config.resumeBacklogBytes(), scheduler(group), directoryListener(metrics));
                Optional<ClusterDirectory> cluster = Optional.empty();
                if (config.clustered()) {
                    cluster = Optional.of(ClusterDirectory.start(config, meterRegistry, metrics));
                    ClusterDirectory clustered = cluster.get();
                    metrics.watch(clustered::roomCount, clustered::peerCount);
                } else {
                    metrics.watch(directory);
                }
                Admission admission = new Admission();
                SessionContext context = new SessionContext(config, new MessageDecoder(config.maxMessageBytes()), directory,
                        metrics, config.signalingSecret().map(secret -> SignalingTokens.verifier(secret, clock)), iceServers,
                        cluster, admission);
                Set<PeerLink> openLinks = ConcurrentHashMap.newKeySet();
                Set<Channel> connections = ConcurrentHashMap.newKeySet();
                SseSessions sse = new SseSessions(context, openLinks);
                int hardLimit = (int) Math.min(Integer.MAX_VALUE / 2, 4L * config.maxMessageBytes());
                HttpRouter router = new HttpRouter(context, routes, sse, openLinks, classLoader, hardLimit);
                List<Channel> listeners = new ArrayList<>();
                Channel plain;
                try {
                    plain = bind(transport, group, router, hardLimit, null, config.port(), "--http-port", connections);
                } catch (RuntimeException e) {
                    cluster.ifPresent(ClusterDirectory::close);
                    throw e;
                }
                listeners.add(plain);
                Optional<InetSocketAddress> tlsAddress = Optional.empty();
                if (sslContext != null) {
                    Channel secure;
                    try {
                        secure = bind(transport, group, router, hardLimit, sslContext, tlsPort, "--https-port", connections);
                    } catch (RuntimeException e) {
                        plain.close();
                        cluster.ifPresent(ClusterDirectory::close);
                        throw e;
                    }
                    listeners.add(secure);
                    tlsAddress = Optional.of((InetSocketAddress) secure.localAddress());
                }
                InetSocketAddress address = (InetSocketAddress) plain.localAddress();
                LOG.info("signaling listening on {} ({})", address, config);
                return new SignalingServer(group, listeners, address, tlsAddress, openLinks, directory, cluster, connections,
                        admission);
            } catch (RuntimeException e) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                throw e;
            }
        }

        private Channel bind(NettyTransport transport, EventLoopGroup group, HttpRouter router, int hardLimit,
                             SslContext ssl, int port, String option, Set<Channel> connections) {
            int highWater = Math.max(4 << 20, hardLimit);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(highWater / 2, highWater))
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (connections.size() >= maxConnections) {
                                LOG.debug("refusing {}: {} connections held", ch.remoteAddress(), maxConnections);
                                ch.config().setOption(ChannelOption.SO_LINGER, 0);
                                ch.close();
                                return;
                            }
                            connections.add(ch);
                            ch.closeFuture().addListener(f -> connections.remove(ch));
                            ChannelPipeline p = ch.pipeline();
                            if (ssl != null) {
                                p.addLast("tls", ssl.newHandler(ch.alloc()));
                            }
                            p.addLast("http-codec", new HttpServerCodec(4096, 8192, 8192));
                            p.addLast("http-aggregator", new HttpObjectAggregator(hardLimit));
                            // A connection that says nothing (a half-open one, a TLS handshake that never ends, an
                            // idle keep-alive) is closed after --idle-timeout, as a silent WebSocket would be.
                            p.addLast(HttpRouter.IDLE_NAME, new IdleStateHandler(0, 0,
                                    config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                            p.addLast(HttpRouter.NAME, router);
                        }
                    });
            InetSocketAddress at = new InetSocketAddress(config.bindAddress(), port);
            try {
                return bootstrap.bind(at).sync().channel();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(option + ": interrupted while binding " + at, e);
            } catch (Exception e) {
                throw new IllegalStateException(option + ": cannot listen on " + at.getAddress().getHostAddress() + ":"
                        + port + ": " + e.getMessage(), e);
            }
        }

        private static Scheduler scheduler(EventLoopGroup group) {
            return (delay, task) -> {
                try {
                    ScheduledFuture<?> future = group.next().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                    return () -> future.cancel(false);
                } catch (RejectedExecutionException e) {
                    return () -> { };
                }
            };
        }

        private static RoomDirectory.Listener directoryListener(SignalingMetrics metrics) {
            return new RoomDirectory.Listener() {
                @Override
                public void joined(Peer peer) {
                    metrics.joined();
                    LOG.debug("peer {} joined room {}", peer.id(), peer.room().name());
                }

                @Override
                public void resumed(Peer peer) {
                    metrics.resumed();
                    LOG.debug("peer {} resumed in room {}", peer.id(), peer.room().name());
                }

                @Override
                public void resumeFailed(String reason) {
                    metrics.resumeFailed();
                    LOG.debug("resume failed: {}", reason);
                }

                @Override
                public void left(Peer peer, String reason) {
                    LOG.debug("peer {} left room {}: {}", peer.id(), peer.room().name(), reason);
                }
            };
        }
    }
}
