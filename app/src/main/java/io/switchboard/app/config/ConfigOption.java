package io.switchboard.app.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every option of {@code switchboard serve}: one catalog drives the command line, the {@code SWITCHBOARD_*} environment,
 * the YAML keys of {@code --config} and docs/CONFIGURATION.md.
 */
public enum ConfigOption {
    CONFIG("config", "FILE", null, false, Group.GENERAL,
            "YAML configuration file; its keys are the option names without the leading dashes."),
    BIND("bind", "ADDR", "0.0.0.0", false, Group.GENERAL,
            "Address every public listener binds to."),
    HTTP_PORT("http-port", "N", "8080", false, Group.GENERAL,
            "Port of the web client, signaling (WebSocket /ws, SSE) and /api/ice-servers; 0 picks a free port."),
    EXTERNAL_IP("external-ip", "ADDR", null, false, Group.GENERAL,
            "Address advertised in relayed addresses and ICE server URLs (default: --bind, or this host's first "
                    + "non-loopback address when --bind is a wildcard)."),
    LOG_FORMAT("log-format", "text|json", "text", false, Group.GENERAL,
            "Log line format on standard error."),

    TURN_PORT("turn-port", "N", "3478", false, Group.TURN,
            "STUN/TURN port, UDP and TCP; 0 picks a free port."),
    ALTERNATE_ADDRESS("alternate-address", "ADDR", null, false, Group.TURN,
            "Second local address of the same family as --bind; enables RFC 5780 NAT behaviour discovery."),
    ALTERNATE_PORT("alternate-port", "N", "0", false, Group.TURN,
            "Second port of RFC 5780 NAT behaviour discovery; 0 picks a free port."),
    IPV6_RELAY_ADDRESS("ipv6-relay-address", "ADDR", null, false, Group.TURN,
            "IPv6 address that IPv6 relays (RFC 6156) bind to and advertise when --bind is not an IPv6 address."),
    RELAY_PORTS("relay-ports", "LO-HI", "49152-65535", false, Group.TURN,
            "UDP port range for relayed transport addresses."),
    REALM("realm", "NAME", "switchboard", false, Group.TURN,
            "Realm of the long-term credentials."),
    USER("user", "NAME:PASSWORD", null, true, Group.TURN,
            "Static long-term TURN user (repeatable)."),
    AUTH_SECRET("auth-secret", "SECRET", null, true, Group.TURN,
            "TURN REST shared secret (repeatable for rotation; the first one signs new credentials). "
                    + "A random one is generated at start when absent."),
    CREDENTIAL_TTL("credential-ttl", "SECONDS", "86400", false, Group.TURN,
            "Lifetime of the TURN REST credentials handed out by /api/ice-servers."),
    NONCE_LIFETIME("nonce-lifetime", "SECONDS", "3600", false, Group.TURN,
            "How long a TURN nonce stays valid before 438 Stale Nonce."),
    ALLOW_PEER("allow-peer", "CIDR", null, true, Group.TURN,
            "Peer range that relay may reach even though the default deny list covers it (repeatable; wins over deny)."),
    DENY_PEER("deny-peer", "CIDR", null, true, Group.TURN,
            "Peer range added to the default deny list (repeatable)."),
    TOTAL_QUOTA("total-quota", "N", "10000", false, Group.TURN,
            "Allocations the whole server holds at once (508 beyond)."),
    USER_QUOTA("user-quota", "N", "64", false, Group.TURN,
            "Allocations one user holds at once (486 beyond); REST users count by the part after the expiry."),
    PERMISSION_QUOTA("permission-quota", "N", "64", false, Group.TURN,
            "Peer addresses one allocation may hold permissions for (508 beyond)."),
    MAX_BPS("max-bps", "BYTES_PER_SECOND", "10485760", false, Group.TURN,
            "Relayed bytes per second per allocation, both directions together; 0 means unlimited."),
    TCP_RELAY("tcp-relay", "true|false", "false", false, Group.TURN,
            "Accept REQUESTED-TRANSPORT TCP (RFC 6062 relayed TCP connections)."),

    ROOM_CAPACITY("room-capacity", "N", "8", false, Group.SIGNALING,
            "Peers one room admits."),
    RESUME_GRACE("resume-grace", "SECONDS", "20", false, Group.SIGNALING,
            "How long a dropped peer keeps its id and room, waiting for a resume."),
    RESUME_BACKLOG("resume-backlog", "N", "512", false, Group.SIGNALING,
            "Messages kept for a dropped peer; beyond that it leaves."),
    MAX_MESSAGE_SIZE("max-message-size", "BYTES", "65536", false, Group.SIGNALING,
            "Largest signaling message accepted (too-large beyond)."),
    MESSAGE_RATE("message-rate", "PER_SECOND", "50", false, Group.SIGNALING,
            "Signaling messages per second one connection may send on average (rate-limited beyond)."),
    MESSAGE_BURST("message-burst", "N", "200", false, Group.SIGNALING,
            "Signaling messages one connection may send at once above the rate."),
    PING_INTERVAL("ping-interval", "SECONDS", "10", false, Group.SIGNALING,
            "Interval of WebSocket ping frames from the server."),
    IDLE_TIMEOUT("idle-timeout", "SECONDS", "30", false, Group.SIGNALING,
            "A signaling connection silent this long is dead (its peer enters the resume grace)."),
    ALLOWED_ORIGIN("allowed-origin", "ORIGIN", null, true, Group.SIGNALING,
            "Origin allowed to open signaling connections (repeatable); any origin when absent."),
    SIGNALING_SECRET("signaling-secret", "SECRET", null, false, Group.SIGNALING,
            "When set, join needs an HS256 JWT with room and exp claims signed with this secret (16+ characters)."),

    ADMIN_BIND("admin-bind", "ADDR", "127.0.0.1", false, Group.ADMIN,
            "Address of the admin listener (/metrics, /healthz, /readyz)."),
    ADMIN_PORT("admin-port", "N", "9478", false, Group.ADMIN,
            "Port of the admin listener; 0 picks a free port.");

    /** Sections of docs/CONFIGURATION.md and of {@code --help}. */
    public enum Group { GENERAL, TURN, SIGNALING, ADMIN }

    private final String key;
    private final String label;
    private final String defaultValue;
    private final boolean repeatable;
    private final Group group;
    private final String description;

    ConfigOption(String key, String label, String defaultValue, boolean repeatable, Group group, String description) {
        this.key = key;
        this.label = label;
        this.defaultValue = defaultValue;
        this.repeatable = repeatable;
        this.group = group;
        this.description = description;
    }

    /** The name in YAML files, e.g. {@code http-port}. */
    public String key() {
        return key;
    }

    /** The command-line flag, e.g. {@code --http-port}. */
    public String flag() {
        return "--" + key;
    }

    /** The environment variable, e.g. {@code SWITCHBOARD_HTTP_PORT}. */
    public String environmentVariable() {
        return "SWITCHBOARD_" + key.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    public String label() {
        return label;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public boolean repeatable() {
        return repeatable;
    }

    public Group group() {
        return group;
    }

    public String description() {
        return description;
    }

    /** The option whose YAML key is {@code key}. */
    public static Optional<ConfigOption> byKey(String key) {
        return Arrays.stream(values()).filter(o -> o.key.equals(key)).findFirst();
    }
}
