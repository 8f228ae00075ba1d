package io.switchboard.app;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.switchboard.app.admin.AdminServer;
import io.switchboard.app.config.ConfigException;
import io.switchboard.app.config.SwitchboardConfig;
import io.switchboard.transport.NettyTransport;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import io.switchboard.signaling.SignalingServer;
import io.switchboard.signaling.http.HttpRoutes;
import io.switchboard.signaling.http.RouteResponse;
import io.switchboard.turn.BoundListener;
import io.switchboard.turn.TurnServer;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.util.Collections;
import java.util.OptionalInt;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running product: every listener started from one {@link SwitchboardConfig}, stopped together. */
public final class Switchboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile boolean running;

    private Switchboard() {
    }

    /**
     * Checks everything {@link #start} would check about {@code config} without binding anything: the module
     * configurations were validated when {@code config} was built, so what is left is the advertised address.
     */
    public static void validate(SwitchboardConfig config) {
        advertisedHost(config);
    }

    /** The address put in ICE server URIs: --external-ip, else --bind, else this host's first non-loopback address. */
    static InetAddress advertisedHost(SwitchboardConfig config) {
        if (config.externalIp().isPresent()) {
            return config.externalIp().get();
        }
        if (!config.bind().isAnyLocalAddress()) {
            return config.bind();
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        return address;
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces ({}); advertising loopback", e.getMessage());
        }
        return InetAddress.getLoopbackAddress();
    }

    /** Starts every listener and prints one {@code listening <name> <addr>:<port>} line each, then "switchboard ready". */
    public static Switchboard start(SwitchboardConfig config, PrintWriter out) {
        validate(config);
        Switchboard switchboard = new Switchboard();
        try {
            switchboard.startAll(config, out);
        } catch (RuntimeException | Error e) {
            switchboard.close();
            throw e;
        }
        return switchboard;
    }

    private void startAll(SwitchboardConfig config, PrintWriter out) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        TurnServer turn = bind("--turn-port", new InetSocketAddress(config.bind(), config.turn().port()),
                () -> TurnServer.start(config.turn(), registry));
        resources.push(turn);
        for (BoundListener listener : turn.listeners()) {
            printListening(out, listener.name(), listener.address());
        }

        IceServerDirectory iceServers = new IceServerDirectory(advertisedHost(config), turn.udpAddress().getPort(),
                turn.tlsAddress().map(a -> OptionalInt.of(a.getPort())).orElse(OptionalInt.empty()),
                config.signingSecret(), config.credentialTtl(), Clock.systemUTC());
        HttpRoutes routes = HttpRoutes.builder()
                .get("/healthz", request -> health())
                .build();
        SignalingServer signaling = bind("--http-port", new InetSocketAddress(config.bind(), config.httpPort()),
                () -> SignalingServer.builder(config.signaling())
                        .iceServers(iceServers)
                        .routes(routes)
                        .meterRegistry(registry)
                        .start());
        resources.push(signaling);
        printListening(out, "http", signaling.address());

        NettyTransport transport = NettyTransport.best();
        EventLoopGroup adminGroup = transport.newEventLoopGroup(1, "admin");
        resources.push(() -> adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());

        InetSocketAddress adminAddress = new InetSocketAddress(config.adminBind(), config.adminPort());
        AdminServer admin = bind("--admin-port", adminAddress, () -> AdminServer.start(adminAddress, adminGroup,
                transport, registry::scrape, () -> running, () -> running));
        resources.push(admin);
        printListening(out, "admin", admin.localAddress());

        running = true;
        out.println("switchboard ready");
        out.flush();
        LOG.info("switchboard started: {}", config);
    }

    /** Something that binds a socket. */
    private interface Binder<T> {
        T bind() throws Exception;
    }

    private static <T> T bind(String option, InetSocketAddress address, Binder<T> binder) {
        try {
            return binder.bind();
        } catch (BindException e) {
            throw new ConfigException(option + ": cannot listen on " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + option, e);
        } catch (RuntimeException e) {
            String message = e instanceof UncheckedIOException ? e.getCause().getMessage() : e.getMessage();
            if (message != null && message.startsWith("--")) {
                throw new ConfigException(message, e);
            }
            if (e.getCause() instanceof BindException || e instanceof IllegalArgumentException) {
                throw new ConfigException(option + ": cannot listen on " + address.getAddress().getHostAddress() + ":"
                        + address.getPort() + ": " + message, e);
            }
            throw e;
        } catch (Exception e) {
            throw new ConfigException(option + ": cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    private static void printListening(PrintWriter out, String name, InetSocketAddress address) {
        out.println("listening " + name + " " + address.getAddress().getHostAddress() + ":" + address.getPort());
        out.flush();
    }

    private RouteResponse health() {
        return running ? RouteResponse.json(200, "{\"status\":\"ok\"}")
                : RouteResponse.json(503, "{\"status\":\"starting\"}");
    }

    /** Whether every listener is up. */
    public boolean isRunning() {
        return running;
    }

    /** The metrics registry every component reports to. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Blocks until {@link #close} has run. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        running = false;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                LOG.warn("error while stopping: {}", e.toString());
            }
        }
        registry.close();
        closed.countDown();
    }
}
