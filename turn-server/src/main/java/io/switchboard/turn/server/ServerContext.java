package io.switchboard.turn.server;

import io.switchboard.stun.Software;
import io.switchboard.turn.TurnPolicy;
import io.switchboard.turn.TurnServerConfig;
import io.switchboard.turn.allocation.AllocationTable;
import io.switchboard.turn.auth.ChallengeRateLimiter;
import io.switchboard.turn.auth.NonceService;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every handler of one server shares: configuration, the swappable policy, allocation state, nonces, rate
 * limits, the response cache, relay sockets and metrics.
 */
public final class ServerContext {
    private final TurnServerConfig config;
    private final Clock clock;
    private final AtomicReference<TurnPolicy> policy;
    private final AllocationTable table;
    private final NonceService nonces;
    private final ChallengeRateLimiter challenges;
    private final ResponseCache responses = new ResponseCache();
    private final TurnMetrics metrics;
    private final RelaySockets relays;
    private final Optional<Software> software;
    private final ClientToPeer clientToPeer = new ClientToPeer(this);
    private final TcpConnections tcpConnections = new TcpConnections();
    private volatile NatSockets natSockets;
    private volatile boolean draining;
    private final AtomicInteger nextAlternate = new AtomicInteger();

    ServerContext(TurnServerConfig config, Clock clock, AtomicReference<TurnPolicy> policy, AllocationTable table,
                  TurnMetrics metrics, RelaySockets relays) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = policy;
        this.table = table;
        this.metrics = metrics;
        this.relays = relays;
        this.nonces = config.nonceSecret()
                .map(secret -> new NonceService(NonceService.sharedKey(secret), config.nonceLifetime(), clock))
                .orElseGet(() -> new NonceService(config.nonceLifetime(), clock));
        this.challenges = new ChallengeRateLimiter(config.challengesPerSecond(), config.challengeBurst());
        this.software = config.software().isEmpty() ? Optional.empty() : Optional.of(new Software(config.software()));
    }

    public TurnServerConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** The policy in force now; read it once per request or packet. */
    public TurnPolicy policy() {
        return policy.get();
    }

    public AllocationTable table() {
        return table;
    }

    NonceService nonces() {
        return nonces;
    }

    ChallengeRateLimiter challenges() {
        return challenges;
    }

    ResponseCache responses() {
        return responses;
    }

    public TurnMetrics metrics() {
        return metrics;
    }

    RelaySockets relays() {
        return relays;
    }

    TcpConnections tcpConnections() {
        return tcpConnections;
    }

    ClientToPeer clientToPeer() {
        return clientToPeer;
    }

    Optional<Software> software() {
        return software;
    }

    /** The RFC 5780 sockets, or null when NAT behaviour discovery is off. */
    NatSockets natSockets() {
        return natSockets;
    }

    void natSockets(NatSockets sockets) {
        this.natSockets = sockets;
    }

    /** From now on new allocations go to an alternate server (300), or are refused with 508 when there is none. */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Why a new allocation should go elsewhere now: {@code draining}, {@code load} (at least
     * {@code --redirect-threshold} allocations held), or null to serve it here.
     */
    String redirectReason() {
        if (draining) {
            return "draining";
        }
        int threshold = config.redirectThreshold();
        return threshold > 0 && table.allocationCount() >= threshold ? "load" : null;
    }

    /**
     * The next alternate server, in turn, of the family of {@code client} (RFC 8489 §10: the same family as the
     * request's source), or empty when none is configured for that family.
     */
    Optional<InetSocketAddress> alternateFor(InetAddress client) {
        List<InetSocketAddress> all = config.alternateServers();
        int size = all.size();
        if (size == 0) {
            return Optional.empty();
        }
        int start = Math.floorMod(nextAlternate.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            InetSocketAddress candidate = all.get((start + i) % size);
            if (candidate.getAddress().getClass() == client.getClass()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Whether the address is the relayed address of one of this server's allocations. */
    boolean isOwnRelayedAddress(InetSocketAddress address) {
        return relays.isRelayIp(address.getAddress()) && table.byRelayedAddress(address) != null;
    }

    /** Periodic housekeeping: expiry of allocations, permissions, channels, reservations and caches. */
    void sweep() {
        long now = clock.millis();
        table.sweep();
        relays.expireReservations();
        responses.sweep(now);
        challenges.sweep(now);
    }
}
