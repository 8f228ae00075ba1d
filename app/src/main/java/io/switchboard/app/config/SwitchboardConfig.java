package io.switchboard.app.config;

import io.switchboard.signaling.SignalingConfig;
import io.switchboard.turn.TurnServerConfig;
import io.switchboard.turn.policy.Quotas;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

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
        LogFormat logFormat,
        Duration credentialTtl,
        boolean authSecretGenerated,
        InetAddress adminBind,
        int adminPort,
        TurnServerConfig turn,
        SignalingConfig signaling) {

    /** Log line format. */
    public enum LogFormat { TEXT, JSON }

    /** Builds and validates the configuration; a bad value throws {@link ConfigException} naming its option. */
    public static SwitchboardConfig from(ConfigSettings s) {
        InetAddress bind = s.address(ConfigOption.BIND).orElseThrow();
        List<String> secrets = s.strings(ConfigOption.AUTH_SECRET);
        boolean generated = secrets.isEmpty();
        return new SwitchboardConfig(
                bind,
                s.port(ConfigOption.HTTP_PORT),
                s.address(ConfigOption.EXTERNAL_IP),
                logFormat(s),
                Duration.ofSeconds(s.longInteger(ConfigOption.CREDENTIAL_TTL, 1, 30L * 24 * 3600)),
                generated,
                s.address(ConfigOption.ADMIN_BIND).orElseThrow(),
                s.port(ConfigOption.ADMIN_PORT),
                module(s, () -> turn(s, bind, generated ? List.of(randomSecret()) : secrets)),
                module(s, () -> signaling(s, bind)));
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
        return b.build();
    }

    private static SignalingConfig signaling(ConfigSettings s, InetAddress bind) {
        return SignalingConfig.builder()
                .bindAddress(bind)
                .port(s.port(ConfigOption.HTTP_PORT))
                .roomCapacity(s.integer(ConfigOption.ROOM_CAPACITY, 1, 256))
                .resumeGrace(Duration.ofSeconds(s.longInteger(ConfigOption.RESUME_GRACE, 0, 3600)))
                .resumeBacklog(s.integer(ConfigOption.RESUME_BACKLOG, 1, 1_000_000))
                .maxMessageBytes(s.integer(ConfigOption.MAX_MESSAGE_SIZE, 256, 16 << 20))
                .messageRate(s.integer(ConfigOption.MESSAGE_RATE, 1, 1_000_000))
                .messageBurst(s.integer(ConfigOption.MESSAGE_BURST, 1, 1_000_000))
                .pingInterval(Duration.ofSeconds(s.longInteger(ConfigOption.PING_INTERVAL, 1, 3600)))
                .idleTimeout(Duration.ofSeconds(s.longInteger(ConfigOption.IDLE_TIMEOUT, 2, 7200)))
                .allowedOrigins(s.strings(ConfigOption.ALLOWED_ORIGIN))
                .signalingSecret(s.string(ConfigOption.SIGNALING_SECRET))
                .build();
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

    private static LogFormat logFormat(ConfigSettings s) {
        String value = s.required(ConfigOption.LOG_FORMAT);
        try {
            return LogFormat.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw s.error(ConfigOption.LOG_FORMAT, "'" + value + "' is not one of text, json");
        }
    }

    private static String randomSecret() {
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
                + ", adminBind=" + adminBind.getHostAddress() + ", adminPort=" + adminPort
                + ", credentialTtl=" + credentialTtl.toSeconds() + "s, turn=" + describe(turn) + ", signaling=" + signaling + "]";
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
