package io.switchboard.turn;

import io.netty.handler.ssl.SslContext;
import io.switchboard.stun.Software;
import io.switchboard.turn.auth.ChallengeRateLimiter;
import io.switchboard.turn.auth.Credentials;
import io.switchboard.turn.auth.LongTermUser;
import io.switchboard.turn.auth.NonceService;
import io.switchboard.turn.policy.Cidr;
import io.switchboard.turn.policy.PeerAddressPolicy;
import io.switchboard.turn.policy.Quotas;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the STUN/TURN server needs to start, validated when built: errors name the command-line option
 * ({@code --relay-ports: 60000-50000 is not LO-HI with LO <= HI}). Build one with {@link #builder()}; every field has
 * the default of PRODUCT.md.
 *
 * @param bindAddress        {@code --bind}: the address the listeners (and the IPv4 relays) bind to
 * @param port               {@code --turn-port}: UDP and TCP port for STUN and TURN; 0 picks a free one
 * @param tlsPort            {@code --turns-port}: TLS port, used only with an {@code sslContext}; 0 picks a free one
 * @param sslContext         server TLS context for TURN over TLS ({@code --tls-cert}/{@code --tls-key})
 * @param externalIp         {@code --external-ip}: the address advertised in XOR-RELAYED-ADDRESS instead of the bound one
 * @param ipv6RelayAddress   the IPv6 address IPv6 relays bind to and advertise (RFC 6156); without it IPv6 relays are
 *                           only offered when {@code bindAddress} is a specific IPv6 address, else 440
 * @param relayPorts         {@code --relay-ports}
 * @param realm              {@code --realm}
 * @param users              {@code --user NAME:PASSWORD}, repeatable
 * @param authSecrets        {@code --auth-secret}, repeatable: every one is accepted, the first is for issuing
 * @param allowPeers         {@code --allow-peer CIDR}: relayed to even when in the deny list
 * @param denyPeers          {@code --deny-peer CIDR}: refused in addition to the default deny list
 * @param quotas             allocation, permission and bandwidth quotas
 * @param alternateAddress   {@code --alternate-address}: a second IP of this host; enables RFC 5780 NAT behaviour
 *                           discovery over UDP on both IPs and both ports
 * @param alternatePort      the second port of RFC 5780; 0 picks a free one
 * @param tcpRelay           {@code --tcp-relay}: allow REQUESTED-TRANSPORT TCP (RFC 6062); off by default
 * @param nonceLifetime      how long a nonce stays valid before 438 Stale Nonce
 * @param software           the SOFTWARE attribute of responses; never a version; empty for none
 * @param ioThreads          event loop threads; 0 means one per CPU core
 * @param challengesPerSecond 401 answers per second per source IP over UDP
 * @param challengeBurst     401 answers a source IP may get at once over UDP
 * @param nonceSecret        {@code --nonce-secret}: a secret shared by the nodes of a TURN fleet, so that each accepts
 *                           the nonces of the others and a client can move between them; random per process when empty
 * @param alternateServers   {@code --alternate-server IP:PORT}, repeatable: other TURN servers (UDP and TCP port) to which
 *                           new allocations are redirected with 300 Try Alternate (RFC 8489 §10) while this one drains
 *                           or holds {@code redirectThreshold} allocations
 * @param redirectThreshold  {@code --redirect-threshold N}: from this many allocations on, new ones are redirected to an
 *                           alternate server; 0 redirects only while draining
 * @param connectionTimeout  {@code --connection-timeout}: how long a TCP or TLS connection may stay open without an
 *                           allocation (TLS handshake included) before the server closes it, so that half-open and idle
 *                           connections cannot pile up; RFC 6062 data connections are exempt once bound
 */
public record TurnServerConfig(
        InetAddress bindAddress,
        int port,
        int tlsPort,
        Optional<SslContext> sslContext,
        Optional<InetAddress> externalIp,
        Optional<InetAddress> ipv6RelayAddress,
        PortRange relayPorts,
        String realm,
        List<LongTermUser> users,
        List<String> authSecrets,
        List<Cidr> allowPeers,
        List<Cidr> denyPeers,
        Quotas quotas,
        Optional<InetAddress> alternateAddress,
        int alternatePort,
        boolean tcpRelay,
        Duration nonceLifetime,
        String software,
        int ioThreads,
        int challengesPerSecond,
        int challengeBurst,
        Optional<String> nonceSecret,
        List<InetSocketAddress> alternateServers,
        int redirectThreshold,
        Duration connectionTimeout) {

    public static final int DEFAULT_PORT = 3478;
    public static final int DEFAULT_TLS_PORT = 5349;
    public static final String DEFAULT_REALM = "switchboard";
    /** The product name only: a version in SOFTWARE would tell attackers which bugs to try (RFC 8489 §16.1.3). */
    public static final String DEFAULT_SOFTWARE = "Switchboard";
    /** Shortest {@code --nonce-secret}: 16 characters. */
    public static final int MIN_NONCE_SECRET_CHARS = 16;
    /** How long a TCP or TLS connection may go without an allocation: long enough for any client to send Allocate. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);

    public TurnServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(externalIp, "externalIp");
        Objects.requireNonNull(ipv6RelayAddress, "ipv6RelayAddress");
        Objects.requireNonNull(relayPorts, "relayPorts");
        Objects.requireNonNull(quotas, "quotas");
        Objects.requireNonNull(alternateAddress, "alternateAddress");
        Objects.requireNonNull(nonceLifetime, "nonceLifetime");
        Objects.requireNonNull(software, "software");
        users = List.copyOf(users);
        authSecrets = List.copyOf(authSecrets);
        allowPeers = List.copyOf(allowPeers);
        denyPeers = List.copyOf(denyPeers);
        requirePort("--turn-port", port);
        requirePort("--turns-port", tlsPort);
        requirePort("--alternate-port", alternatePort);
        if (realm == null || realm.isBlank()) {
            throw new InvalidOptionException("--realm", "must not be empty");
        }
        try {
            new Credentials(realm, users, authSecrets);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(": ");
            throw colon > 0 && message.startsWith("--")
                    ? new InvalidOptionException(message.substring(0, colon), message.substring(colon + 2), e)
                    : new InvalidOptionException("--realm", message, e);
        }
        if (externalIp.isPresent() && externalIp.get().isAnyLocalAddress()) {
            throw new InvalidOptionException("--external-ip", externalIp.get().getHostAddress()
                    + " is a wildcard address; give the public address clients can reach");
        }
        if (ipv6RelayAddress.isPresent() && (!(ipv6RelayAddress.get() instanceof Inet6Address)
                || ipv6RelayAddress.get().isAnyLocalAddress())) {
            throw new InvalidOptionException("--ipv6-relay-address", ipv6RelayAddress.get().getHostAddress()
                    + " is not a specific IPv6 address");
        }
        if (alternateAddress.isPresent()) {
            InetAddress alternate = alternateAddress.get();
            if (bindAddress.isAnyLocalAddress()) {
                throw new InvalidOptionException("--alternate-address", "RFC 5780 needs --bind to name one address,"
                        + " not the wildcard " + bindAddress.getHostAddress());
            }
            if (alternate.getClass() != bindAddress.getClass() || alternate.equals(bindAddress)
                    || alternate.isAnyLocalAddress()) {
                throw new InvalidOptionException("--alternate-address", alternate.getHostAddress()
                        + " must be another address of the same family as --bind " + bindAddress.getHostAddress());
            }
            if (alternatePort != 0 && alternatePort == port) {
                throw new InvalidOptionException("--alternate-port", "must differ from --turn-port " + port);
            }
        }
        if (nonceLifetime.toSeconds() < 1) {
            throw new InvalidOptionException("--nonce-lifetime", "must be at least 1 second, got " + nonceLifetime);
        }
        try {
            new Software(software);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("--software", e.getMessage(), e);
        }
        if (ioThreads < 0) {
            throw new InvalidOptionException("--io-threads", "must be 0 (one per core) or more, got " + ioThreads);
        }
        if (challengesPerSecond < 1 || challengeBurst < 1) {
            throw new InvalidOptionException("--challenge-rate", "rate and burst must be at least 1, got "
                    + challengesPerSecond + "/s burst " + challengeBurst);
        }
        Objects.requireNonNull(nonceSecret, "nonceSecret");
        if (nonceSecret.isPresent() && nonceSecret.get().length() < MIN_NONCE_SECRET_CHARS) {
            throw new InvalidOptionException("--nonce-secret", "must be at least " + MIN_NONCE_SECRET_CHARS
                    + " characters, got " + nonceSecret.get().length());
        }
        alternateServers = List.copyOf(alternateServers);
        for (InetSocketAddress alternate : alternateServers) {
            if (alternate.isUnresolved() || alternate.getAddress().isAnyLocalAddress() || alternate.getPort() == 0) {
                throw new InvalidOptionException("--alternate-server", alternate
                        + " is not a specific address and port another TURN server listens on");
            }
            if (alternate.getAddress().equals(bindAddress) && alternate.getPort() == port) {
                throw new InvalidOptionException("--alternate-server", alternate + " is this server itself");
            }
        }
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (connectionTimeout.toMillis() < 1) {
            throw new InvalidOptionException("--connection-timeout", "must be positive, got " + connectionTimeout);
        }
        if (redirectThreshold < 0) {
            throw new InvalidOptionException("--redirect-threshold", "must be 0 (only while draining) or more, got "
                    + redirectThreshold);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The credentials, peer policy and quotas: what {@link TurnServer#reload(TurnPolicy)} can swap at runtime. */
    public TurnPolicy policy() {
        return new TurnPolicy(new Credentials(realm, users, authSecrets), PeerAddressPolicy.of(allowPeers, denyPeers), quotas);
    }

    /** Whether RFC 5780 NAT behaviour discovery is on. */
    public boolean natDiscovery() {
        return alternateAddress.isPresent();
    }

    private static void requirePort(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new InvalidOptionException(option, port + " is not a port 0-65535 (0 picks a free one)");
        }
    }

    /** Collects options; {@link #build()} validates them all. */
    public static final class Builder {
        private InetAddress bindAddress = anyIpv4();
        private int port = DEFAULT_PORT;
        private int tlsPort = DEFAULT_TLS_PORT;
        private Optional<SslContext> sslContext = Optional.empty();
        private Optional<InetAddress> externalIp = Optional.empty();
        private Optional<InetAddress> ipv6RelayAddress = Optional.empty();
        private PortRange relayPorts = PortRange.DEFAULT;
        private String realm = DEFAULT_REALM;
        private final List<LongTermUser> users = new ArrayList<>();
        private final List<String> authSecrets = new ArrayList<>();
        private final List<Cidr> allowPeers = new ArrayList<>();
        private final List<Cidr> denyPeers = new ArrayList<>();
        private Quotas quotas = Quotas.DEFAULTS;
        private Optional<InetAddress> alternateAddress = Optional.empty();
        private int alternatePort;
        private boolean tcpRelay;
        private Duration nonceLifetime = NonceService.DEFAULT_LIFETIME;
        private String software = DEFAULT_SOFTWARE;
        private int ioThreads;
        private int challengesPerSecond = ChallengeRateLimiter.DEFAULT_PER_SECOND;
        private int challengeBurst = ChallengeRateLimiter.DEFAULT_BURST;
        private Optional<String> nonceSecret = Optional.empty();
        private final List<InetSocketAddress> alternateServers = new ArrayList<>();
        private int redirectThreshold;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;

        private Builder() {
        }

        private Builder(TurnServerConfig c) {
            bindAddress = c.bindAddress;
            port = c.port;
            tlsPort = c.tlsPort;
            sslContext = c.sslContext;
            externalIp = c.externalIp;
            ipv6RelayAddress = c.ipv6RelayAddress;
            relayPorts = c.relayPorts;
            realm = c.realm;
            users.addAll(c.users);
            authSecrets.addAll(c.authSecrets);
            allowPeers.addAll(c.allowPeers);
            denyPeers.addAll(c.denyPeers);
            quotas = c.quotas;
            alternateAddress = c.alternateAddress;
            alternatePort = c.alternatePort;
            tcpRelay = c.tcpRelay;
            nonceLifetime = c.nonceLifetime;
            software = c.software;
            ioThreads = c.ioThreads;
            challengesPerSecond = c.challengesPerSecond;
            challengeBurst = c.challengeBurst;
            nonceSecret = c.nonceSecret;
            alternateServers.addAll(c.alternateServers);
            redirectThreshold = c.redirectThreshold;
            connectionTimeout = c.connectionTimeout;
        }

        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** {@code --bind ADDR}: a literal IPv4 or IPv6 address (no DNS lookup). */
        public Builder bindAddress(String literal) {
            this.bindAddress = literal("--bind", literal);
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder tlsPort(int port) {
            this.tlsPort = port;
            return this;
        }

        /** Enables TURN over TLS on {@link #tlsPort(int)} with this server context. */
        public Builder sslContext(SslContext context) {
            this.sslContext = Optional.of(context);
            return this;
        }

        public Builder externalIp(InetAddress address) {
            this.externalIp = Optional.of(address);
            return this;
        }

        /** {@code --external-ip ADDR}. */
        public Builder externalIp(String literal) {
            this.externalIp = Optional.of(literal("--external-ip", literal));
            return this;
        }

        public Builder ipv6RelayAddress(InetAddress address) {
            this.ipv6RelayAddress = Optional.of(address);
            return this;
        }

        public Builder relayPorts(PortRange range) {
            this.relayPorts = Objects.requireNonNull(range, "range");
            return this;
        }

        /** {@code --relay-ports LO-HI}. */
        public Builder relayPorts(String text) {
            this.relayPorts = PortRange.parse(text);
            return this;
        }

        public Builder realm(String realm) {
            this.realm = realm;
            return this;
        }

        public Builder user(LongTermUser user) {
            users.add(Objects.requireNonNull(user, "user"));
            return this;
        }

        /** {@code --user NAME:PASSWORD}. */
        public Builder user(String nameColonPassword) {
            try {
                users.add(LongTermUser.parse(nameColonPassword));
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException("--user", e.getMessage().replaceFirst("^--user: ", ""), e);
            }
            return this;
        }

        /** {@code --auth-secret SECRET}; several may be given so that one can be rotated. */
        public Builder authSecret(String secret) {
            if (secret == null || secret.isEmpty()) {
                throw new InvalidOptionException("--auth-secret", "must not be empty");
            }
            authSecrets.add(secret);
            return this;
        }

        public Builder allowPeer(Cidr block) {
            allowPeers.add(Objects.requireNonNull(block, "block"));
            return this;
        }

        /** {@code --allow-peer CIDR}. */
        public Builder allowPeer(String cidr) {
            allowPeers.add(cidr("--allow-peer", cidr));
            return this;
        }

        public Builder denyPeer(Cidr block) {
            denyPeers.add(Objects.requireNonNull(block, "block"));
            return this;
        }

        /** {@code --deny-peer CIDR}. */
        public Builder denyPeer(String cidr) {
            denyPeers.add(cidr("--deny-peer", cidr));
            return this;
        }

        public Builder quotas(Quotas quotas) {
            this.quotas = Objects.requireNonNull(quotas, "quotas");
            return this;
        }

        public Builder alternateAddress(InetAddress address) {
            this.alternateAddress = Optional.of(address);
            return this;
        }

        /** {@code --alternate-address ADDR}: enables RFC 5780. */
        public Builder alternateAddress(String literal) {
            this.alternateAddress = Optional.of(literal("--alternate-address", literal));
            return this;
        }

        public Builder alternatePort(int port) {
            this.alternatePort = port;
            return this;
        }

        public Builder tcpRelay(boolean enabled) {
            this.tcpRelay = enabled;
            return this;
        }

        public Builder nonceLifetime(Duration lifetime) {
            this.nonceLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        public Builder software(String software) {
            this.software = Objects.requireNonNull(software, "software");
            return this;
        }

        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** How many 401 answers per second (and at once) one source IP may get over UDP. */
        public Builder challengeRate(int perSecond, int burst) {
            this.challengesPerSecond = perSecond;
            this.challengeBurst = burst;
            return this;
        }

        /** {@code --nonce-secret SECRET}: the same on every node of a fleet, so nonces are good on all of them. */
        public Builder nonceSecret(String secret) {
            this.nonceSecret = Optional.ofNullable(secret);
            return this;
        }

        /** {@code --alternate-server}: a TURN server (its UDP and TCP port) that takes new allocations from this one. */
        public Builder alternateServer(InetSocketAddress server) {
            alternateServers.add(Objects.requireNonNull(server, "server"));
            return this;
        }

        /** {@code --alternate-server IP:PORT} ({@code [IPv6]:PORT}); the port defaults to 3478. */
        public Builder alternateServer(String text) {
            alternateServers.add(hostPort("--alternate-server", text));
            return this;
        }

        /** {@code --redirect-threshold N}: redirect new allocations once this many are held (0: only while draining). */
        public Builder redirectThreshold(int allocations) {
            this.redirectThreshold = allocations;
            return this;
        }

        /** {@code --connection-timeout}: TCP and TLS connections without an allocation are closed after this long. */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public TurnServerConfig build() {
            return new TurnServerConfig(bindAddress, port, tlsPort, sslContext, externalIp, ipv6RelayAddress, relayPorts,
                    realm, users, authSecrets, allowPeers, denyPeers, quotas, alternateAddress, alternatePort, tcpRelay,
                    nonceLifetime, software, ioThreads, challengesPerSecond, challengeBurst, nonceSecret,
                    alternateServers, redirectThreshold, connectionTimeout);
        }

        private static InetSocketAddress hostPort(String option, String text) {
            String value = text == null ? "" : text.trim();
            String host = value;
            int port = DEFAULT_PORT;
            if (value.startsWith("[")) {
                int close = value.indexOf(']');
                if (close < 0) {
                    throw new InvalidOptionException(option, "'" + text + "' is not IP:PORT or [IPv6]:PORT");
                }
                host = value.substring(1, close);
                if (close + 1 < value.length()) {
                    if (value.charAt(close + 1) != ':') {
                        throw new InvalidOptionException(option, "'" + text + "' is not IP:PORT or [IPv6]:PORT");
                    }
                    port = port(option, text, value.substring(close + 2));
                }
            } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
                host = value.substring(0, value.indexOf(':'));
                port = port(option, text, value.substring(value.indexOf(':') + 1));
            }
            return new InetSocketAddress(literal(option, host), port);
        }

        private static int port(String option, String text, String digits) {
            try {
                int port = Integer.parseInt(digits);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidOptionException(option, "'" + text + "' has no port 1-65535 after the address");
        }

        private static Cidr cidr(String option, String text) {
            try {
                return Cidr.parse(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException(option, e.getMessage(), e);
            }
        }

        private static InetAddress literal(String option, String text) {
            byte[] bytes = text == null ? null : parseLiteral(text.trim());
            if (bytes == null) {
                throw new InvalidOptionException(option, "'" + text + "' is not a literal IPv4 or IPv6 address");
            }
            try {
                return bytes.length == 4 ? Inet4Address.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
            } catch (java.net.UnknownHostException e) {
                throw new InvalidOptionException(option, e.getMessage(), e);
            }
        }

        private static byte[] parseLiteral(String text) {
            try {
                Cidr block = Cidr.parse(text);
                return block.prefixLength() == (block.isIpv4() ? 32 : 128) ? block.network().getAddress() : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private static InetAddress anyIpv4() {
            try {
                return InetAddress.getByAddress(new byte[4]);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
