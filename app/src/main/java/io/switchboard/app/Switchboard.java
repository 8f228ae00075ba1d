package io.switchboard.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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
import io.switchboard.app.config.ConfigOption;
import io.switchboard.app.config.ConfigSettings;
import io.switchboard.app.config.SwitchboardConfig;
import io.switchboard.app.logging.LogSetup;
import io.switchboard.app.tls.CertificateLoadException;
import io.switchboard.app.tls.RecordPerWriteSslContext;
import io.switchboard.app.tls.ServerTls;
import io.switchboard.signaling.SignalingServer;
import io.switchboard.signaling.http.HttpRoutes;
import io.switchboard.signaling.http.RouteResponse;
import io.switchboard.transport.NettyTransport;
import io.switchboard.turn.BoundListener;
import io.switchboard.turn.TurnServer;
import io.switchboard.turn.TurnServerConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running product: every listener started from one configuration, reloaded on request ({@link #reload}), drained
 * ({@link #drain}) and stopped together ({@link #close}).
 */
public final class Switchboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);
    private static final Duration CERTIFICATE_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration DRAIN_POLL = Duration.ofMillis(100);
    /** The line {@code serve} prints when everything is up: scripts and tests wait for it. */
    public static final String READY = "switchboard ready";

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SwitchboardConfig config;
    private Map<ConfigOption, List<String>> settingsInForce;
    private volatile boolean running;
    private volatile boolean draining;
    private volatile boolean stopNow;
    private TurnServer turn;
    private SignalingServer signaling;
    private IceServerDirectory iceServers;
    private Optional<ServerTls> tls = Optional.empty();
    private ScheduledExecutorService maintenance;
    private Counter reloadsApplied;
    private Counter reloadsRefused;
    private String generatedSecret;

    private Switchboard(SwitchboardConfig config, ConfigSettings settings) {
        this.config = config;
        this.settingsInForce = ConfigChanges.snapshot(settings);
    }

    /**
     * Checks everything {@link #start} would check about {@code config} without binding anything: the module
     * configurations and certificate files were validated when {@code config} was built, so what is left is the
     * advertised address.
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

    /**
     * Starts every listener of {@code config} (built from {@code settings}, which later reloads compare with) and
     * prints one {@code listening <name> <addr>:<port>} line each. The caller prints {@link #READY} once it has done
     * its own setup (signal handlers).
     */
    public static Switchboard start(SwitchboardConfig config, ConfigSettings settings, PrintWriter out) {
        validate(config);
        Switchboard switchboard = new Switchboard(config, settings);
        try {
            switchboard.startAll(out);
        } catch (RuntimeException | Error e) {
            switchboard.close();
            throw e;
        }
        return switchboard;
    }

    private void startAll(PrintWriter out) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("switchboard.draining", this, s -> s.draining ? 1 : 0)
                .description("1 while the server drains after SIGTERM, else 0").register(registry);
        reloadsApplied = Counter.builder("switchboard.config.reloads").tag("outcome", "applied")
                .description("Configuration reloads (SIGHUP)").register(registry);
        reloadsRefused = Counter.builder("switchboard.config.reloads").tag("outcome", "refused")
                .description("Configuration reloads (SIGHUP)").register(registry);
        if (config.authSecretGenerated()) {
            generatedSecret = config.signingSecret();
        }
        maintenance = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "switchboard-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        resources.push(maintenance::shutdownNow);

        InetAddress advertised = advertisedHost(config);
        if (config.tls().enabled()) {
            tls = Optional.of(startTls(advertised));
            tls.get().bindTo(registry);
            ServerTls serverTls = tls.get();
            long period = CERTIFICATE_CHECK_INTERVAL.toMillis();
            maintenance.scheduleWithFixedDelay(() -> checkCertificateFiles(serverTls), period, period, TimeUnit.MILLISECONDS);
        }

        TurnServerConfig turnConfig = tls.map(t -> config.turn().toBuilder()
                .sslContext(new RecordPerWriteSslContext(t.sslContext())).tlsPort(config.tls().turnsPort()).build()).orElse(config.turn());
        turn = bind(tls.isPresent() ? "--turn-port/--turns-port" : "--turn-port",
                new InetSocketAddress(config.bind(), config.turn().port()), () -> TurnServer.start(turnConfig, registry));
        resources.push(turn);
        for (BoundListener listener : turn.listeners()) {
            printListening(out, listener.name(), listener.address());
        }

        String uriHost = config.publicHost().orElseGet(() -> advertised.getHostAddress().replaceAll("%.*", ""));
        iceServers = new IceServerDirectory(uriHost, turn.udpAddress().getPort(),
                turn.tlsAddress().map(a -> OptionalInt.of(a.getPort())).orElse(OptionalInt.empty()), config.fleetUris(),
                config.signingSecret(), config.credentialTtl(), Clock.systemUTC());
        HttpRoutes routes = HttpRoutes.builder()
                .get("/healthz", request -> health())
                .build();
        signaling = bind("--http-port", new InetSocketAddress(config.bind(), config.httpPort()), () -> {
            SignalingServer.Builder builder = SignalingServer.builder(config.signaling())
                    .iceServers(iceServers)
                    .routes(routes)
                    .meterRegistry(registry)
                    .maxConnections(config.maxConnections());
            tls.ifPresent(t -> builder.tls(t.sslContext(), config.tls().httpsPort()));
            return builder.start();
        });
        resources.push(signaling);
        printListening(out, "http", signaling.address());
        signaling.tlsAddress().ifPresent(address -> printListening(out, "https", address));

        NettyTransport transport = NettyTransport.best();
        EventLoopGroup adminGroup = transport.newEventLoopGroup(1, "admin");
        resources.push(() -> adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS));

        InetSocketAddress adminAddress = new InetSocketAddress(config.adminBind(), config.adminPort());
        AdminServer admin = bind("--admin-port", adminAddress, () -> AdminServer.start(adminAddress, adminGroup,
                transport, registry::scrape, () -> running, this::isReady));
        resources.push(admin);
        printListening(out, "admin", admin.localAddress());

        running = true;
        LOG.info("switchboard started: {}", config);
    }

    private ServerTls startTls(InetAddress advertised) {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        addresses.add(InetAddress.getLoopbackAddress());
        try {
            addresses.add(InetAddress.getByName("127.0.0.1"));
            addresses.add(InetAddress.getByName("::1"));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        addresses.add(advertised);
        config.externalIp().ifPresent(addresses::add);
        addresses.add(config.bind());
        try {
            List<String> names = new ArrayList<>(List.of("localhost"));
            config.publicHost().filter(host -> !host.contains(":") && !host.matches("[0-9.]+")).ifPresent(names::add);
            return ServerTls.start(config.tls(), names, addresses, Clock.systemUTC());
        } catch (CertificateLoadException e) {
            throw new ConfigException((e.isAboutKey() ? "--tls-key: " : "--tls-cert: ") + e.getMessage(), e);
        }
    }

    private static void checkCertificateFiles(ServerTls serverTls) {
        try {
            serverTls.checkFiles();
        } catch (RuntimeException e) {
            LOG.warn("tls certificate check failed: {}", e.toString());
        }
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

    /**
     * Whether new work is welcome: running, not draining, and on a clustered node able to reach Redis. For
     * {@code /readyz}.
     */
    public boolean isReady() {
        return running && !draining && signaling.clusterHealthy();
    }

    /** Whether {@link #drain} has begun. */
    public boolean isDraining() {
        return draining;
    }

    /** The metrics registry every component reports to. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The configuration the server started with (reloads change the TURN policy, secrets and certificate). */
    public SwitchboardConfig config() {
        return config;
    }

    /**
     * Reloads what can change while running (users, secrets, realm, peer policy, quotas, credential lifetime,
     * certificate files, log level) from {@code settings}, a fresh read of flags, environment and file. Anything wrong
     * leaves the running configuration in force. Logs what changed, what needs a restart, or why it was refused.
     */
    public synchronized ReloadReport reload(Supplier<ConfigSettings> settings) {
        if (closed.getCount() == 0) {
            return refused("the server has stopped");
        }
        SwitchboardConfig next;
        Map<ConfigOption, List<String>> nextValues;
        try {
            ConfigSettings nextSettings = settings.get();
            nextValues = ConfigChanges.snapshot(nextSettings);
            Supplier<String> secret = generatedSecret != null ? () -> generatedSecret : SwitchboardConfig::randomSecret;
            next = SwitchboardConfig.from(nextSettings, secret);
            validate(next);
            if (next.tls().enabled() != config.tls().enabled()) {
                throw new ConfigException("--tls: turning TLS " + (next.tls().enabled() ? "on" : "off")
                        + " needs a restart");
            }
            if (config.tls().enabled() && !settingsInForce.get(ConfigOption.TLS_CERT).isEmpty() && !next.tls().fromFiles()) {
                throw new ConfigException("--tls-cert: going back to a generated certificate needs a restart");
            }
            ServerTls.prepare(next.tls());
        } catch (ConfigException e) {
            return refused(e.getMessage());
        } catch (CertificateLoadException e) {
            return refused((e.isAboutKey() ? "--tls-key: " : "--tls-cert: ") + e.getMessage());
        }
        ConfigChanges changes = ConfigChanges.between(settingsInForce, nextValues);
        turn.reload(next.turn());
        iceServers.resign(next.signingSecret(), next.credentialTtl());
        tls.ifPresent(t -> t.reload(next.tls()));
        LogSetup.level(next.logLevel());
        generatedSecret = next.authSecretGenerated() ? next.signingSecret() : null;
        settingsInForce = ConfigChanges.inForceAfter(settingsInForce, nextValues);
        reloadsApplied.increment();
        if (changes.isEmpty()) {
            LOG.info("reload applied: nothing changed");
        } else {
            LOG.info("reload applied: {}{}", changes.applied().isEmpty() ? "no change that a reload applies"
                    : String.join("; ", changes.applied()), changes.needRestart().isEmpty() ? ""
                    : "; changed but needing a restart (not applied): " + String.join(", ", changes.needRestart()));
        }
        return new ReloadReport(true, changes.applied(), changes.needRestart(), Optional.empty());
    }

    private ReloadReport refused(String problem) {
        reloadsRefused.increment();
        LOG.warn("reload refused: {}; the running configuration stays in force", problem);
        return new ReloadReport(false, List.of(), List.of(), Optional.of(problem));
    }

    /** The outcome of a {@link #reload}. */
    public record ReloadReport(boolean applied, List<String> changes, List<String> needRestart,
                               Optional<String> problem) {
    }

    /**
     * Drains, then stops: refuses new TURN allocations and signaling joins, tells signaling clients to reconnect
     * elsewhere, turns {@code /readyz} to 503, lets existing allocations go on until they end or {@code timeout}
     * passes (or {@link #stopNow()} is called), then closes everything. Blocks until closed.
     */
    public void drain(Duration timeout) {
        synchronized (this) {
            if (draining || closed.getCount() == 0) {
                return;
            }
            draining = true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        LOG.info("draining: new allocations and joins are refused, signaling clients are told to reconnect elsewhere; "
                + "waiting up to {}s for {} allocation(s) to end", timeout.toSeconds(), turn.allocationCount());
        refuseNewWork();
        while (!stopNow && turn.allocationCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = turn.allocationCount();
        LOG.info("drained: {}; stopping", left == 0 ? "no allocation left"
                : left + " allocation(s) still open at the " + (stopNow ? "second stop signal" : "deadline") + " are closed");
        close();
    }

    /** Cuts a running {@link #drain} short: the server stops at once. */
    public void stopNow() {
        stopNow = true;
    }

    private void refuseNewWork() {
        turn.drain();
        signaling.drain();
    }

    /** Blocks until {@link #close} has run. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Blocks until {@link #close} has run or {@code timeout} passed; returns whether it has run. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        synchronized (this) {
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
        LOG.info("switchboard stopped");
    }
}
