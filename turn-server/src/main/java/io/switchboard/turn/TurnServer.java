package io.switchboard.turn;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.turn.allocation.Transport;
import io.switchboard.turn.server.ServerRuntime;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The STUN and TURN server (RFC 8489, RFC 8656, RFC 6156, RFC 5780): UDP and TCP on one port, TLS when an
 * {@link io.netty.handler.ssl.SslContext} is configured. Start it with {@link #start}, print {@link #listeners()}, swap
 * credentials, peer policy and quotas with {@link #reload}, and {@link #close()} it.
 *
 * <pre>{@code
 * TurnServer server = TurnServer.start(TurnServerConfig.builder()
 *         .port(0).realm("example.org").user("alice:secret").allowPeer("127.0.0.0/8").build(), registry);
 * server.listeners().forEach(l -> System.out.println("listening " + l.name() + " " + l.address()));
 * }</pre>
 */
public final class TurnServer implements AutoCloseable {
    private final TurnServerConfig config;
    private final ServerRuntime runtime;

    private TurnServer(TurnServerConfig config, ServerRuntime runtime) {
        this.config = config;
        this.runtime = runtime;
    }

    /** Binds every listener and starts serving; throws when a port cannot be bound (the message names the option). */
    public static TurnServer start(TurnServerConfig config, MeterRegistry registry) {
        return start(config, registry, Clock.systemUTC());
    }

    /** As {@link #start(TurnServerConfig, MeterRegistry)} with the clock that lifetimes, nonces and REST expiry use. */
    public static TurnServer start(TurnServerConfig config, MeterRegistry registry, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(clock, "clock");
        return new TurnServer(config, ServerRuntime.start(config, registry, clock));
    }

    public TurnServerConfig config() {
        return config;
    }

    /** Every bound listener, in the order: turn-udp, turn-tcp, RFC 5780 sockets, turns. */
    public List<BoundListener> listeners() {
        return runtime.listeners();
    }

    /** The UDP listener (STUN and TURN). */
    public InetSocketAddress udpAddress() {
        return listener("turn-udp").orElseThrow();
    }

    /** The TCP listener on the same port. */
    public InetSocketAddress tcpAddress() {
        return listener("turn-tcp").orElseThrow();
    }

    /** The TLS listener, when TLS is configured. */
    public Optional<InetSocketAddress> tlsAddress() {
        return listener("turns");
    }

    /** The RFC 5780 OTHER-ADDRESS of the primary socket, when NAT behaviour discovery is on. */
    public Optional<InetSocketAddress> otherAddress() {
        return listener("stun-alt-ip-port");
    }

    private Optional<InetSocketAddress> listener(String name) {
        return runtime.listeners().stream().filter(l -> l.name().equals(name)).map(BoundListener::address).findFirst();
    }

    /** The credentials, peer policy and quotas in force. */
    public TurnPolicy policy() {
        return runtime.policy();
    }

    /** Swaps credentials, peer policy and quotas atomically; the next request and packet see them. */
    public void reload(TurnPolicy policy) {
        runtime.reload(Objects.requireNonNull(policy, "policy"));
    }

    /**
     * Swaps in the policy part of a new configuration (users, secrets, realm, allow/deny, quotas); listener settings
     * (addresses, ports, TLS, relay range) need a restart and are ignored here.
     */
    public void reload(TurnServerConfig next) {
        reload(next.policy());
    }

    /**
     * Stops taking new allocations: from now on Allocate gets 300 Try Alternate with an alternate server
     * ({@code --alternate-server}), or 508 when none fits; existing allocations, their refreshes, permissions and
     * channels go on. One way: a drained server is meant to stop.
     */
    public void drain() {
        runtime.context().drain();
    }

    /** Whether {@link #drain} was called. */
    public boolean draining() {
        return runtime.context().draining();
    }

    /** Allocations now held. */
    public int allocationCount() {
        return runtime.table().allocationCount();
    }

    /** Whether the transport is served (TLS only with a certificate). */
    public boolean serves(Transport transport) {
        return runtime.listeners().stream().anyMatch(l -> l.transport() == transport);
    }

    /** Closes every socket, ends every allocation and stops the event loops. */
    @Override
    public void close() {
        runtime.close();
    }
}
