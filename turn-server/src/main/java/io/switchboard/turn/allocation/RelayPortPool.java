package io.switchboard.turn.allocation;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * The relay ports of one relay address, from {@code --relay-ports LO-HI}: picked at random (RFC 8656 §7.2: "SHOULD
 * ... randomly"), even ones for EVEN-PORT, and pairs whose upper port waits under a RESERVATION-TOKEN for
 * {@link Lifetimes#RESERVATION} (RFC 8656 §7.2 steps 7-8, §14.9). Thread-safe.
 */
public final class RelayPortPool {
    /** A port kept for a later Allocate carrying its token. */
    public record Reservation(int port, long token) {
    }

    private record Reserved(int port, long expiresAtMillis) {
    }

    private final int low;
    private final int high;
    private final Clock clock;
    private final RandomGenerator random;
    private final BitSet taken;
    private final Map<Long, Reserved> reservations = new HashMap<>();
    private final SecureRandom tokens = new SecureRandom();
    private int inUse;

    public RelayPortPool(int low, int high, Clock clock) {
        this(low, high, clock, new SecureRandom());
    }

    RelayPortPool(int low, int high, Clock clock, RandomGenerator random) {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("relay ports must be LO-HI with 1 <= LO <= HI <= 65535, got " + low + "-" + high);
        }
        this.low = low;
        this.high = high;
        this.clock = clock;
        this.random = random;
        this.taken = new BitSet(high - low + 1);
    }

    public int low() {
        return low;
    }

    public int high() {
        return high;
    }

    /** Any free port, or empty when all are taken (508). */
    public synchronized OptionalInt acquire() {
        return pick(false);
    }

    /** A free even port (EVEN-PORT without the R bit), or empty. */
    public synchronized OptionalInt acquireEven() {
        return pick(true);
    }

    /**
     * A free even port whose successor is free too; the successor is kept under a new token (EVEN-PORT with the R
     * bit). Empty when no such pair is free.
     */
    public synchronized java.util.Optional<Reservation> acquireEvenPair() {
        int size = high - low + 1;
        int start = random.nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = low + (start + i) % size;
            if (port % 2 == 0 && port + 1 <= high && isFree(port) && isFree(port + 1)) {
                mark(port);
                mark(port + 1);
                long token = newToken();
                reservations.put(token, new Reserved(port + 1, clock.millis() + Lifetimes.RESERVATION.toMillis()));
                return java.util.Optional.of(new Reservation(port, token));
            }
        }
        return java.util.Optional.empty();
    }

    /** The port kept under this token, now handed over to the caller; empty for an unknown or expired token. */
    public synchronized OptionalInt claim(long token) {
        expireReservations();
        Reserved reserved = reservations.remove(token);
        return reserved == null ? OptionalInt.empty() : OptionalInt.of(reserved.port());
    }

    /** Whether this token names a live reservation here. */
    public synchronized boolean holds(long token) {
        expireReservations();
        return reservations.containsKey(token);
    }

    /** Returns a port to the pool; ports outside the range are ignored. */
    public synchronized void release(int port) {
        if (port >= low && port <= high && taken.get(port - low)) {
            taken.clear(port - low);
            inUse--;
        }
    }

    /** Frees ports whose reservation timed out. */
    public synchronized void expireReservations() {
        long now = clock.millis();
        for (Iterator<Reserved> it = reservations.values().iterator(); it.hasNext(); ) {
            Reserved reserved = it.next();
            if (now >= reserved.expiresAtMillis()) {
                it.remove();
                release(reserved.port());
            }
        }
    }

    /** Ports taken, reserved ones included. */
    public synchronized int inUse() {
        return inUse;
    }

    public int size() {
        return high - low + 1;
    }

    private OptionalInt pick(boolean even) {
        int size = high - low + 1;
        if (inUse >= size) {
            expireReservations();
        }
        int start = random.nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = low + (start + i) % size;
            if ((!even || port % 2 == 0) && isFree(port)) {
                mark(port);
                return OptionalInt.of(port);
            }
        }
        return OptionalInt.empty();
    }

    private boolean isFree(int port) {
        return !taken.get(port - low);
    }

    private void mark(int port) {
        taken.set(port - low);
        inUse++;
    }

    private long newToken() {
        long token;
        do {
            token = tokens.nextLong();
        } while (token == 0 || reservations.containsKey(token));
        return token;
    }
}
