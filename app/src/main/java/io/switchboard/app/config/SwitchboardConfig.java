package io.switchboard.app.config;

import io.switchboard.signaling.SignalingConfig;
import io.switchboard.turn.TurnServerConfig;
import io.switchboard.turn.policy.Quotas;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The whole validated configuration of {@code switchboard serve}, immutable; built once from flags, environment and file.
 *
 * <p>The TURN and signaling parts are the modules' own validated configurations; any error, wherever it is found,
 * names the option and where it was written.
 */
public record SwitchboardConfig(
        InetAddress bind,
        int httpPort,
        Optional<InetAddress> externalIp,
        Optional<String> publicHost,
        List<String> fleetUris,
        LogFormat logFormat,
        LogLevel logLevel,
        TlsSettings tls,
        Duration drainTimeout,
        Duration credentialTtl,
        boolean authSecretGenerated,
        InetAddress adminBind,
        int adminPort,
        TurnServerConfig turn,
        SignalingConfig signaling,
        int maxConnections) {

    /** Log line format. */
    public enum LogFormat { TEXT, JSON }

    /** Lowest level of the log lines written. */
    public enum LogLevel { ERROR, WARN, INFO, DEBUG, TRACE }

    /** Builds and validates the configuration; a bad value throws {@link ConfigException} naming its option. */
    public static SwitchboardConfig from(ConfigSettings s) {
        return from(s, SwitchboardConfig::randomSecret);
    }

    /**
     * As {@link #from(ConfigSettings)}, taking the TURN REST secret from {@code generatedSecret} when no
     * {@code --auth-secret} is set (a reload keeps the secret generated at start, so issued credentials stay good).
     */
    public static SwitchboardConfig from(ConfigSettings s, Supplier<String> generatedSecret) {
        InetAddress bind = s.address(ConfigOption.BIND).orElseThrow();
        List<String> secrets = s.strings(ConfigOption.AUTH_SECRET);
        boolean generated = secrets.isEmpty();
        SwitchboardConfig config = new SwitchboardConfig(
                bind,
                s.port(ConfigOption.HTTP_PORT),
                s.address(ConfigOption.EXTERNAL_IP),
                publicHost(s),
                fleetUris(s),
                choice(s, ConfigOption.LOG_FORMAT, LogFormat.class),
                choice(s, ConfigOption.LOG_LEVEL, LogLevel.class),
                TlsSettings.from(s),
                Duration.ofSeconds(s.longInteger(ConfigOption.DRAIN_TIMEOUT, 0, 24L * 3600)),
                Duration.ofSeconds(s.longInteger(ConfigOption.CREDENTIAL_TTL, 1, 30L * 24 * 3600)),
                generated,
                s.address(ConfigOption.ADMIN_BIND).orElseThrow(),
                s.port(ConfigOption.ADMIN_PORT),
                module(s, () -> turn(s, bind, generated ? List.of(generatedSecret.get()) : secrets)),
                module(s, () -> signaling(s, bind)),
                s.integer(ConfigOption.MAX_CONNECTIONS, 1, 10_000_000));
        config.checkPortsDistinct(s);
        return config;
    }

    /** Two TCP listeners on one port cannot both bind; say so before trying. */
    private void checkPortsDistinct(ConfigSettings s) {
        Map<Integer, ConfigOption> taken = new HashMap<>();
        List<ConfigOption> tcpPorts = new ArrayList<>(List.of(ConfigOption.HTTP_PORT, ConfigOption.TURN_PORT));
        if (tls.enabled()) {
            tcpPorts.addAll(List.of(ConfigOption.HTTPS_PORT, ConfigOption.TURNS_PORT));
        }
        tcpPorts.add(ConfigOption.ADMIN_PORT);
        for (ConfigOption option : tcpPorts) {
            int port = s.port(option);
            if (port == 0) {
                continue;
            }
            ConfigOption other = taken.putIfAbsent(port, option);
            if (other != null) {
                throw s.error(option, "port " + port + " is already the " + other.flag() + "; give each listener its own");
            }
        }
    }

    private static TurnServerConfig turn(ConfigSettings s, InetAddress bind, List<String> secrets) {
        TurnServerConfig.Builder b = TurnServerConfig.builder()
                .bindAddress(bind)
                .port(s.port(ConfigOption.TURN_PORT))
                .relayPorts(s.required(ConfigOption.RELAY_PORTS))
                .realm(s.required(ConfigOption.REALM))
                .nonceLifetime(Duration.ofSeconds(s.longInteger(ConfigOption.NONCE_LIFETIME, 1, 7L * 24 * 3600)))
                .alternatePort(s.port(ConfigOption.ALTERNATE_PORT))
                .tcpRelay(s.bool(ConfigOption.TCP_RELAY))
                .quotas(Quotas.DEFAULTS
                        .withTotalAllocations(s.integer(ConfigOption.TOTAL_QUOTA, 1, 10_000_000))
                        .withAllocationsPerUser(s.integer(ConfigOption.USER_QUOTA, 1, 10_000_000))
                        .withPermissionsPerAllocation(s.integer(ConfigOption.PERMISSION_QUOTA, 1, 100_000))
                        .withBytesPerSecondPerAllocation(s.longInteger(ConfigOption.MAX_BPS, 0, 100_000_000_000L)));
        s.address(ConfigOption.EXTERNAL_IP).ifPresent(b::externalIp);
        s.address(ConfigOption.ALTERNATE_ADDRESS).ifPresent(b::alternateAddress);
        s.address(ConfigOption.IPV6_RELAY_ADDRESS).ifPresent(b::ipv6RelayAddress);
        s.strings(ConfigOption.USER).forEach(b::user);
        secrets.forEach(b::authSecret);
        s.strings(ConfigOption.ALLOW_PEER).forEach(b::allowPeer);
        s.strings(ConfigOption.DENY_PEER).forEach(b::denyPeer);
        s.strings(ConfigOption.ALTERNATE_SERVER).forEach(b::alternateServer);
        b.redirectThreshold(s.integer(ConfigOption.REDIRECT_THRESHOLD, 0, 10_000_000));
        b.connectionTimeout(Duration.ofSeconds(s.longInteger(ConfigOption.CONNECTION_TIMEOUT, 1, 3600)));
        s.string(ConfigOption.NONCE_SECRET).ifPresent(b::nonceSecret);
        return b.build();
    }

    private static SignalingConfig signaling(ConfigSettings s, InetAddress bind) {
        SignalingConfig.Builder b = SignalingConfig.builder()
                .bindAddress(bind)
                .port(s.port(ConfigOption.HTTP_PORT))
                .roomCapacity(s.integer(ConfigOption.ROOM_CAPACITY, 1, 256))
                .resumeGrace(Duration.ofSeconds(s.longInteger(ConfigOption.RESUME_GRACE, 0, 3600)))
                .resumeBacklog(s.integer(ConfigOption.RESUME_BACKLOG, 1, 1_000_000))
                .maxMessageBytes(s.integer(ConfigOption.MAX_MESSAGE_SIZE, 256, 16 << 20))
                .resumeBacklogBytes(s.longInteger(ConfigOption.RESUME_BACKLOG_BYTES, 256, 1L << 30))
                .abuseLimit(s.integer(ConfigOption.ABUSE_LIMIT, 1, 1_000_000))
                .messageRate(s.integer(ConfigOption.MESSAGE_RATE, 1, 1_000_000))
                .messageBurst(s.integer(ConfigOption.MESSAGE_BURST, 1, 1_000_000))
                .pingInterval(Duration.ofSeconds(s.longInteger(ConfigOption.PING_INTERVAL, 1, 3600)))
                .idleTimeout(Duration.ofSeconds(s.longInteger(ConfigOption.IDLE_TIMEOUT, 2, 7200)))
                .allowedOrigins(s.strings(ConfigOption.ALLOWED_ORIGIN))
                .signalingSecret(s.string(ConfigOption.SIGNALING_SECRET))
                .redis(s.string(ConfigOption.REDIS).map(url -> redisUri(s, url)))
                .clusterLease(Duration.ofSeconds(s.longInteger(ConfigOption.CLUSTER_LEASE, 1, 60)));
        s.string(ConfigOption.NODE_ID).ifPresent(b::nodeId);
        return b.build();
    }

    private static URI redisUri(ConfigSettings s, String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw s.error(ConfigOption.REDIS, "not a URL: " + e.getReason());
        }
    }

    /** Runs a module's builder, turning its "--option: problem" errors into ones that say where the option was set. */
    private static <T> T module(ConfigSettings s, Supplier<T> build) {
        try {
            return build.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(": ");
            if (message.startsWith("--") && colon > 2) {
                Optional<ConfigOption> option = ConfigOption.byKey(message.substring(2, colon));
                if (option.isPresent()) {
                    throw s.error(option.get(), message.substring(colon + 2));
                }
            }
            throw new ConfigException(message, e);
        }
    }

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private static final Pattern ICE_URI = Pattern.compile("(stuns?:" + "(?<host>[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(:\\d{1,5})?)"
            + "|(turns?:(?<thost>[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(:\\d{1,5})?(\\?transport=(udp|tcp))?)");

    /** STUN and TURN URIs of the other nodes (RFC 7064, RFC 7065). */
    private static List<String> fleetUris(ConfigSettings s) {
        List<String> uris = s.strings(ConfigOption.FLEET_URI);
        for (String uri : uris) {
            if (!ICE_URI.matcher(uri).matches()) {
                throw s.error(ConfigOption.FLEET_URI, "'" + uri + "' is not a STUN or TURN URI (stun:HOST[:PORT], "
                        + "turn:HOST[:PORT][?transport=udp], turns:HOST[:PORT])");
            }
        }
        return List.copyOf(uris);
    }

    /** A DNS name (RFC 1123) or an IP literal. */
    private static Optional<String> publicHost(ConfigSettings s) {
        Optional<String> host = s.string(ConfigOption.PUBLIC_HOST);
        if (host.isPresent() && !HOST_NAME.matcher(host.get()).matches()) {
            try {
                return s.address(ConfigOption.PUBLIC_HOST).map(InetAddress::getHostAddress);
            } catch (ConfigException e) {
                throw s.error(ConfigOption.PUBLIC_HOST, "'" + host.get() + "' is neither a host name nor an IP address");
            }
        }
        return host;
    }

    private static <E extends Enum<E>> E choice(ConfigSettings s, ConfigOption option, Class<E> type) {
        String value = s.required(option);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw s.error(option, "'" + value + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    /** A fresh random TURN REST secret, for servers started without {@code --auth-secret}. */
    public static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The secret that signs new TURN REST credentials. */
    public String signingSecret() {
        return turn.authSecrets().get(0);
    }

    @Override
    public String toString() {
        return "SwitchboardConfig[bind=" + bind.getHostAddress() + ", httpPort=" + httpPort
                + ", externalIp=" + externalIp.map(InetAddress::getHostAddress).orElse("-")
                + ", publicHost=" + publicHost.orElse("-") + ", fleetUris=" + fleetUris
                + ", adminBind=" + adminBind.getHostAddress() + ", adminPort=" + adminPort
                + ", credentialTtl=" + credentialTtl.toSeconds() + "s, tls=" + tls
                + ", drainTimeout=" + drainTimeout.toSeconds() + "s, logLevel=" + logLevel.name().toLowerCase(Locale.ROOT)
                + ", turn=" + describe(turn) + ", signaling=" + signaling + "]";
    }

    /** The TURN settings without users' passwords or the shared secrets. */
    private static String describe(TurnServerConfig t) {
        return "[port=" + t.port() + ", relayPorts=" + t.relayPorts() + ", realm=" + t.realm()
                + ", users=" + t.users().stream().map(u -> u.name()).toList()
                + ", authSecrets=" + t.authSecrets().size() + " (redacted), allowPeers=" + t.allowPeers()
                + ", denyPeers=" + t.denyPeers() + ", quotas=" + t.quotas()
                + ", alternateAddress=" + t.alternateAddress().map(InetAddress::getHostAddress).orElse("-")
                + ", tcpRelay=" + t.tcpRelay() + "]";
    }
}
