package io.switchboard.signaling;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated, immutable settings of the signaling server. Every check names the command-line option it
 * belongs to, e.g. {@code --room-capacity: must be between 1 and 256, got 0}.
 *
 * @param bindAddress        address of the HTTP listener ({@code --bind})
 * @param port               port of the HTTP listener, 0 for any free one ({@code --http-port})
 * @param roomCapacity       most peers in one room ({@code --room-capacity})
 * @param resumeGrace        how long a dropped peer keeps its id and room ({@code --resume-grace}); zero disables resume
 * @param resumeBacklog      most messages kept for one peer for resume ({@code --resume-backlog})
 * @param resumeBacklogBytes most bytes kept for one peer for resume ({@code --resume-backlog-bytes})
 * @param maxMessageBytes    longest client message in bytes ({@code --max-message-size})
 * @param messageRate        sustained client messages per second per connection ({@code --message-rate})
 * @param messageBurst       client messages a connection may send at once above the rate ({@code --message-burst})
 * @param abuseLimit         protocol errors per minute after which a connection is closed with 1008 ({@code --abuse-limit})
 * @param pingInterval       how often a silent connection is pinged ({@code --ping-interval})
 * @param idleTimeout        how long a connection may stay silent before it is dropped ({@code --idle-timeout})
 * @param allowedOrigins     browser origins allowed to connect, e.g. {@code https://example.com}; empty allows all
 *                           ({@code --allowed-origin}, repeatable)
 * @param signalingSecret    the HS256 secret for access tokens; when present every join needs a token
 *                           ({@code --signaling-secret})
 * @param redis              the Redis server shared by the nodes of a cluster, e.g. {@code redis://10.0.0.5:6379}; empty
 *                           runs one standalone node that keeps everything in memory ({@code --redis})
 * @param nodeId             this node's name in the cluster, unique among the nodes; random by default ({@code --node-id})
 * @param clusterLease       how long a node that stops renewing its lease in Redis counts as alive; its peers then
 *                           enter their grace period; renewed every fifth of it ({@code --cluster-lease})
 */
public record SignalingConfig(
        InetAddress bindAddress,
        int port,
        int roomCapacity,
        Duration resumeGrace,
        int resumeBacklog,
        long resumeBacklogBytes,
        int maxMessageBytes,
        int messageRate,
        int messageBurst,
        int abuseLimit,
        Duration pingInterval,
        Duration idleTimeout,
        List<String> allowedOrigins,
        Optional<String> signalingSecret,
        Optional<URI> redis,
        String nodeId,
        Duration clusterLease) {

    public static final int DEFAULT_ROOM_CAPACITY = 8;
    public static final Duration DEFAULT_RESUME_GRACE = Duration.ofSeconds(20);
    public static final int DEFAULT_RESUME_BACKLOG = 512;
    public static final long DEFAULT_RESUME_BACKLOG_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    public static final int DEFAULT_MESSAGE_RATE = 50;
    public static final int DEFAULT_MESSAGE_BURST = 200;
    public static final int DEFAULT_ABUSE_LIMIT = 20;
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int MIN_SECRET_CHARS = 16;
    public static final Duration DEFAULT_CLUSTER_LEASE = Duration.ofSeconds(5);
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final List<String> REDIS_SCHEMES = List.of("redis", "rediss", "redis-sentinel", "rediss-sentinel",
            "redis-socket");

    public SignalingConfig {
        Objects.requireNonNull(bindAddress, "--bind: must be given");
        requireRange("--http-port", port, 0, 65535);
        requireRange("--room-capacity", roomCapacity, 1, 256);
        requireDuration("--resume-grace", resumeGrace, Duration.ZERO, Duration.ofHours(1));
        requireRange("--resume-backlog", resumeBacklog, 1, 1_000_000);
        requireRange("--max-message-size", maxMessageBytes, 256, 16 << 20);
        requireRange("--resume-backlog-bytes", resumeBacklogBytes, maxMessageBytes, 1L << 30);
        requireRange("--message-rate", messageRate, 1, 1_000_000);
        requireRange("--message-burst", messageBurst, 1, 1_000_000);
        requireRange("--abuse-limit", abuseLimit, 1, 1_000_000);
        requireDuration("--ping-interval", pingInterval, Duration.ofMillis(10), Duration.ofHours(1));
        requireDuration("--idle-timeout", idleTimeout, Duration.ofMillis(20), Duration.ofHours(2));
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("--idle-timeout: must be longer than --ping-interval ("
                    + format(pingInterval) + "), got " + format(idleTimeout));
        }
        allowedOrigins = List.copyOf(allowedOrigins).stream().map(SignalingConfig::normalizeOrigin).toList();
        Objects.requireNonNull(signalingSecret, "--signaling-secret");
        signalingSecret.ifPresent(secret -> {
            if (secret.length() < MIN_SECRET_CHARS) {
                throw new IllegalArgumentException("--signaling-secret: must be at least " + MIN_SECRET_CHARS
                        + " characters, got " + secret.length());
            }
        });
        Objects.requireNonNull(redis, "--redis");
        redis.ifPresent(SignalingConfig::checkRedis);
        Objects.requireNonNull(nodeId, "--node-id: must be given");
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("--node-id: must be 1-64 characters of A-Z a-z 0-9 _ . -, got '" + nodeId + "'");
        }
        requireDuration("--cluster-lease", clusterLease, Duration.ofMillis(100), Duration.ofMinutes(1));
    }

    /** Whether this node shares its rooms with other nodes through Redis. */
    public boolean clustered() {
        return redis.isPresent();
    }

    /** How often a clustered node renews its lease and sweeps expired peers: a fifth of the lease. */
    public Duration clusterHeartbeat() {
        return clusterLease.dividedBy(5);
    }

    private static void checkRedis(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!REDIS_SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("--redis: must be a redis://, rediss://, redis-sentinel:// or redis-socket:// URL, got '"
                    + redacted(uri) + "'");
        }
        if (!scheme.equals("redis-socket") && (uri.getHost() == null || uri.getHost().isEmpty())) {
            throw new IllegalArgumentException("--redis: the URL names no host: '" + redacted(uri) + "'");
        }
    }

    /** {@code uri} without its user information, which may hold a password. */
    static String redacted(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        return uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
    }

    /** The defaults: a demo server on 0.0.0.0:8080 with every limit at its documented default. */
    public static SignalingConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder()
                .bindAddress(bindAddress).port(port).roomCapacity(roomCapacity).resumeGrace(resumeGrace)
                .resumeBacklog(resumeBacklog).resumeBacklogBytes(resumeBacklogBytes).maxMessageBytes(maxMessageBytes)
                .messageRate(messageRate).messageBurst(messageBurst).abuseLimit(abuseLimit)
                .pingInterval(pingInterval).idleTimeout(idleTimeout).allowedOrigins(allowedOrigins)
                .signalingSecret(signalingSecret).redis(redis).nodeId(nodeId).clusterLease(clusterLease);
    }

    /** Whether a browser page from {@code origin} (an Origin header value) may connect. */
    public boolean originAllowed(String origin) {
        if (allowedOrigins.isEmpty() || allowedOrigins.contains("*")) {
            return true;
        }
        return allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "SignalingConfig[bind=" + bindAddress.getHostAddress() + ", port=" + port + ", roomCapacity=" + roomCapacity
                + ", resumeGrace=" + format(resumeGrace) + ", resumeBacklog=" + resumeBacklog
                + ", resumeBacklogBytes=" + resumeBacklogBytes + ", maxMessageBytes=" + maxMessageBytes
                + ", messageRate=" + messageRate + ", messageBurst=" + messageBurst + ", abuseLimit=" + abuseLimit
                + ", pingInterval=" + format(pingInterval) + ", idleTimeout=" + format(idleTimeout)
                + ", allowedOrigins=" + allowedOrigins + ", signalingSecret=" + (signalingSecret.isPresent() ? "(set)" : "(none)")
                + (redis.isPresent() ? ", redis=" + redacted(redis.get()) + ", nodeId=" + nodeId
                        + ", clusterLease=" + format(clusterLease) : "") + "]";
    }

    private static void requireRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + ": must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void requireDuration(String option, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, option + ": must be given");
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(option + ": must be between " + format(min) + " and " + format(max)
                    + ", got " + format(value));
        }
    }

    private static String normalizeOrigin(String origin) {
        if (origin.equals("*")) {
            return origin;
        }
        try {
            URI uri = new URI(origin);
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            boolean bare = (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null && uri.getFragment() == null
                    && uri.getUserInfo() == null;
            if (web && bare && uri.getHost() != null) {
                return origin.toLowerCase(Locale.ROOT);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("--allowed-origin: must be '*' or scheme://host[:port] with scheme http or https, got '"
                + origin + "'");
    }

    private static String format(Duration d) {
        if (d.toMillisPart() == 0 && d.toNanosPart() == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }

    /** Builds a {@link SignalingConfig}; every setting starts at its default. */
    public static final class Builder {
        private InetAddress bindAddress;
        private int port = 8080;
        private int roomCapacity = DEFAULT_ROOM_CAPACITY;
        private Duration resumeGrace = DEFAULT_RESUME_GRACE;
        private int resumeBacklog = DEFAULT_RESUME_BACKLOG;
        private long resumeBacklogBytes = DEFAULT_RESUME_BACKLOG_BYTES;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int messageRate = DEFAULT_MESSAGE_RATE;
        private int messageBurst = DEFAULT_MESSAGE_BURST;
        private int abuseLimit = DEFAULT_ABUSE_LIMIT;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private List<String> allowedOrigins = List.of();
        private Optional<String> signalingSecret = Optional.empty();
        private Optional<URI> redis = Optional.empty();
        private String nodeId = randomNodeId();
        private Duration clusterLease = DEFAULT_CLUSTER_LEASE;

        private Builder() {
            try {
                bindAddress = InetAddress.getByAddress(new byte[4]);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        public Builder bindAddress(InetAddress value) {
            bindAddress = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder roomCapacity(int value) {
            roomCapacity = value;
            return this;
        }

        public Builder resumeGrace(Duration value) {
            resumeGrace = value;
            return this;
        }

        public Builder resumeBacklog(int value) {
            resumeBacklog = value;
            return this;
        }

        public Builder resumeBacklogBytes(long value) {
            resumeBacklogBytes = value;
            return this;
        }

        public Builder maxMessageBytes(int value) {
            maxMessageBytes = value;
            return this;
        }

        public Builder messageRate(int value) {
            messageRate = value;
            return this;
        }

        public Builder messageBurst(int value) {
            messageBurst = value;
            return this;
        }

        public Builder abuseLimit(int value) {
            abuseLimit = value;
            return this;
        }

        public Builder pingInterval(Duration value) {
            pingInterval = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder allowedOrigins(List<String> value) {
            allowedOrigins = value;
            return this;
        }

        public Builder signalingSecret(Optional<String> value) {
            signalingSecret = value;
            return this;
        }

        public Builder signalingSecret(String value) {
            signalingSecret = Optional.of(value);
            return this;
        }

        /** Joins the cluster whose rooms live in the Redis server at {@code value}, e.g. {@code redis://127.0.0.1:6379}. */
        public Builder redis(URI value) {
            redis = Optional.of(value);
            return this;
        }

        /** Joins the cluster at the given Redis URL, or runs standalone when empty. */
        public Builder redis(Optional<URI> value) {
            redis = value;
            return this;
        }

        /** This node's unique name in the cluster; random unless set. */
        public Builder nodeId(String value) {
            nodeId = value;
            return this;
        }

        /** How long a silent node counts as alive (default 5 s). */
        public Builder clusterLease(Duration value) {
            clusterLease = value;
            return this;
        }

        /** The validated configuration; throws {@link IllegalArgumentException} naming the option otherwise. */
        public SignalingConfig build() {
            return new SignalingConfig(bindAddress, port, roomCapacity, resumeGrace, resumeBacklog, resumeBacklogBytes,
                    maxMessageBytes, messageRate, messageBurst, abuseLimit, pingInterval, idleTimeout, allowedOrigins,
                    signalingSecret, redis, nodeId, clusterLease);
        }

        private static String randomNodeId() {
            byte[] bytes = new byte[6];
            new SecureRandom().nextBytes(bytes);
            return "node-" + HexFormat.of().formatHex(bytes);
        }
    }
}
