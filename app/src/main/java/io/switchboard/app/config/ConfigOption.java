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
    PUBLIC_HOST("public-host", "NAME", null, false, Group.GENERAL,
            "Host name put in the stun:, turn: and turns: URIs handed to clients, such as the name in the TLS "
                    + "certificate (browsers check it for turns:); default: the advertised address (--external-ip)."),
    LOG_FORMAT("log-format", "text|json", "text", false, Group.GENERAL,
            "Log line format on standard error."),
    LOG_LEVEL("log-level", "error|warn|info|debug|trace", "info", false, Group.GENERAL,
            "Lowest level of the log lines written."),

    TLS("tls", "true|false", "true", false, Group.TLS,
            "Serve TURN over TLS on --turns-port and HTTPS/WSS on --https-port; with no --tls-cert a self-signed "
                    + "certificate is generated at start."),
    TLS_CERT("tls-cert", "FILE", null, false, Group.TLS,
            "PEM certificate chain (leaf first) for TURNS and HTTPS; re-read when the file changes."),
    TLS_KEY("tls-key", "FILE", null, false, Group.TLS,
            "PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted) of --tls-cert; re-read when the file changes."),
    TURNS_PORT("turns-port", "N", "5349", false, Group.TLS,
            "TURN over TLS port (TCP); 0 picks a free port."),
    HTTPS_PORT("https-port", "N", "8443", false, Group.TLS,
            "HTTPS and WSS port of the web client and signaling; 0 picks a free port."),

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
    ALTERNATE_SERVER("alternate-server", "IP:PORT", null, true, Group.TURN,
            "Another TURN server (same UDP/TCP port) that new allocations are sent to with 300 Try Alternate while "
                    + "this one drains or holds --redirect-threshold allocations (repeatable)."),
    REDIRECT_THRESHOLD("redirect-threshold", "N", "0", false, Group.TURN,
            "Allocations held from which new ones are redirected to an --alternate-server; 0 redirects only while "
                    + "draining."),
    CONNECTION_TIMEOUT("connection-timeout", "SECONDS", "30", false, Group.TURN,
            "A TURN TCP or TLS connection that holds no allocation this long (TLS handshake included) is closed."),
    NONCE_SECRET("nonce-secret", "SECRET", null, false, Group.TURN,
            "Secret shared by the nodes of a TURN fleet so that each accepts the others' nonces; random per process "
                    + "when absent."),

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
    MAX_CONNECTIONS("max-connections", "N", "100000", false, Group.SIGNALING,
            "HTTP, WebSocket and SSE connections held at once over the HTTP and HTTPS listeners; a connection beyond "
                    + "it is closed when accepted."),
    ALLOWED_ORIGIN("allowed-origin", "ORIGIN", null, true, Group.SIGNALING,
            "Origin allowed to open signaling connections (repeatable); any origin when absent."),
    SIGNALING_SECRET("signaling-secret", "SECRET", null, false, Group.SIGNALING,
            "When set, join needs an HS256 JWT with room and exp claims signed with this secret (16+ characters)."),
    ABUSE_LIMIT("abuse-limit", "PER_MINUTE", "20", false, Group.SIGNALING,
            "Protocol errors per minute one connection may cause before it is closed with 1008."),
    RESUME_BACKLOG_BYTES("resume-backlog-bytes", "BYTES", "1048576", false, Group.SIGNALING,
            "Bytes of messages kept for a dropped peer; beyond that it leaves."),

    REDIS("redis", "URL", null, false, Group.CLUSTER,
            "Redis server shared by the nodes of a signaling cluster (redis://[:password@]host:port[/db], rediss:// "
                    + "for TLS); without it this node keeps its rooms in memory, alone."),
    NODE_ID("node-id", "NAME", null, false, Group.CLUSTER,
            "This node's name in the cluster, unique among the nodes (1-64 of A-Z a-z 0-9 _ . -); random when absent."),
    CLUSTER_LEASE("cluster-lease", "SECONDS", "5", false, Group.CLUSTER,
            "How long a node that stops renewing its lease in Redis counts as alive; its peers then enter their "
                    + "resume grace on other nodes."),

    FLEET_URI("fleet-uri", "URI", null, true, Group.CLUSTER,
            "A stun:, turn: or turns: URI of another node (RFC 7064, RFC 7065), added to /api/ice-servers and "
                    + "joined.iceServers with the same credentials (repeatable)."),

    ADMIN_BIND("admin-bind", "ADDR", "127.0.0.1", false, Group.ADMIN,
            "Address of the admin listener (/metrics, /healthz, /readyz)."),
    ADMIN_PORT("admin-port", "N", "9478", false, Group.ADMIN,
            "Port of the admin listener; 0 picks a free port."),
    DRAIN_TIMEOUT("drain-timeout", "SECONDS", "30", false, Group.ADMIN,
            "On SIGTERM, how long existing allocations may go on (new ones and new joins are refused) before the "
                    + "server stops; 0 stops at once.");

    /** Sections of docs/CONFIGURATION.md, in order. */
    public enum Group {
        GENERAL("General"),
        TLS("TLS"),
        TURN("STUN and TURN"),
        SIGNALING("Signaling"),
        CLUSTER("Cluster"),
        ADMIN("Admin listener and lifecycle");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

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

    /** Whether a SIGHUP reload applies a new value of this option to the running server. */
    public boolean reloadable() {
        switch (this) {
            case LOG_LEVEL: case TLS_CERT: case TLS_KEY: case REALM: case USER: case AUTH_SECRET: case CREDENTIAL_TTL:
            case ALLOW_PEER: case DENY_PEER: case TOTAL_QUOTA: case USER_QUOTA: case PERMISSION_QUOTA: case MAX_BPS:
                return true;
            default:
                return false;
        }
    }

    /** Whether values of this option are secrets that must never be printed or logged. */
    public boolean secret() {
        return this == USER || this == AUTH_SECRET || this == SIGNALING_SECRET || this == REDIS
                || this == NONCE_SECRET;
    }

    /** The option whose YAML key is {@code key}. */
    public static Optional<ConfigOption> byKey(String key) {
        return Arrays.stream(values()).filter(o -> o.key.equals(key)).findFirst();
    }
}
