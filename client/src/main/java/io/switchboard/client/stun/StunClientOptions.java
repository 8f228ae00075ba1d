package io.switchboard.client.stun;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link StunClient} retransmits and waits (RFC 8489 §6.2.1, §6.2.2), and where it binds. Immutable and
 * validated; the defaults are the RFC's: RTO 500 ms, Rc = 7, Rm = 16 (a transaction fails after 39.5 s), and 39.5 s
 * over TCP.
 *
 * @param initialRto the first retransmission timeout; it doubles after each retransmission
 * @param maxRequests Rc, the number of requests sent in all (the first plus retransmissions)
 * @param lastWaitMultiplier Rm, how many RTOs to wait after the last request before giving up
 * @param tcpTimeout Ti, how long to wait for a response over TCP, connection included
 * @param localAddress where the UDP socket binds; port 0 picks a free port
 */
public record StunClientOptions(Duration initialRto, int maxRequests, int lastWaitMultiplier, Duration tcpTimeout,
                                InetSocketAddress localAddress) {
    public static final Duration DEFAULT_RTO = Duration.ofMillis(500);
    public static final int DEFAULT_MAX_REQUESTS = 7;
    public static final int DEFAULT_LAST_WAIT_MULTIPLIER = 16;
    public static final Duration DEFAULT_TCP_TIMEOUT = Duration.ofMillis(39_500);

    public StunClientOptions {
        Objects.requireNonNull(initialRto, "initialRto");
        Objects.requireNonNull(tcpTimeout, "tcpTimeout");
        Objects.requireNonNull(localAddress, "localAddress");
        if (initialRto.isNegative() || initialRto.isZero()) {
            throw new IllegalArgumentException("initialRto must be positive, got " + initialRto);
        }
        if (maxRequests < 1 || maxRequests > 20) {
            throw new IllegalArgumentException("maxRequests (Rc) must be 1-20, got " + maxRequests);
        }
        if (lastWaitMultiplier < 1) {
            throw new IllegalArgumentException("lastWaitMultiplier (Rm) must be at least 1, got " + lastWaitMultiplier);
        }
        if (tcpTimeout.isNegative() || tcpTimeout.isZero()) {
            throw new IllegalArgumentException("tcpTimeout must be positive, got " + tcpTimeout);
        }
    }

    /** The RFC 8489 defaults, bound to any local address on a free port. */
    public static StunClientOptions defaults() {
        return new StunClientOptions(DEFAULT_RTO, DEFAULT_MAX_REQUESTS, DEFAULT_LAST_WAIT_MULTIPLIER, DEFAULT_TCP_TIMEOUT,
                new InetSocketAddress(0));
    }

    public StunClientOptions withInitialRto(Duration rto) {
        return new StunClientOptions(rto, maxRequests, lastWaitMultiplier, tcpTimeout, localAddress);
    }

    public StunClientOptions withMaxRequests(int rc) {
        return new StunClientOptions(initialRto, rc, lastWaitMultiplier, tcpTimeout, localAddress);
    }

    public StunClientOptions withLastWaitMultiplier(int rm) {
        return new StunClientOptions(initialRto, maxRequests, rm, tcpTimeout, localAddress);
    }

    public StunClientOptions withTcpTimeout(Duration timeout) {
        return new StunClientOptions(initialRto, maxRequests, lastWaitMultiplier, timeout, localAddress);
    }

    public StunClientOptions withLocalAddress(InetSocketAddress address) {
        return new StunClientOptions(initialRto, maxRequests, lastWaitMultiplier, tcpTimeout, address);
    }

    /**
     * When each request is sent, from the first: 0, RTO, 3 RTO, 7 RTO... (the interval doubles), Rc entries
     * (RFC 8489 §6.2.1: with the defaults 0, 500, 1500, 3500, 7500, 15500, 31500 ms).
     */
    public List<Duration> sendTimes() {
        List<Duration> times = new ArrayList<>(maxRequests);
        Duration at = Duration.ZERO;
        Duration interval = initialRto;
        for (int i = 0; i < maxRequests; i++) {
            times.add(at);
            at = at.plus(interval);
            interval = interval.multipliedBy(2);
        }
        return times;
    }

    /** When a transaction without a response fails: Rm × RTO after the last request (39.5 s by default). */
    public Duration giveUpAfter() {
        return sendTimes().get(maxRequests - 1).plus(initialRto.multipliedBy(lastWaitMultiplier));
    }

    static String describe(Duration d) {
        return d.toMillis() >= 1000 ? String.format("%.1f s", d.toMillis() / 1000.0) : d.toMillis() + " ms";
    }
}
