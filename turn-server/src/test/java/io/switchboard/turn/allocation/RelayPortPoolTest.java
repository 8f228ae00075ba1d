package io.switchboard.turn.allocation;

import io.switchboard.turn.FakeClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayPortPoolTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void handsOutEveryPortOfTheRangeOnceThenNone() {
        RelayPortPool pool = new RelayPortPool(50000, 50009, clock);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            ports.add(pool.acquire().orElseThrow());
        }
        assertThat(ports).hasSize(10).allMatch(p -> p >= 50000 && p <= 50009);
        assertThat(pool.acquire()).isEmpty();
        pool.release(50004);
        assertThat(pool.acquire()).isEqualTo(OptionalInt.of(50004));
    }

    @Test
    void picksPortsAtRandom() {
        RelayPortPool pool = new RelayPortPool(40000, 49999, clock);
        Set<Integer> first = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = pool.acquire().orElseThrow();
            first.add(port);
            pool.release(port);
        }
        assertThat(first.size()).isGreaterThan(1);
    }

    @Test
    void evenPortIsEven() {
        RelayPortPool pool = new RelayPortPool(50001, 50010, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(pool.acquireEven().orElseThrow() % 2).isZero();
        }
        assertThat(pool.acquireEven()).isEmpty();
    }

    @Test
    void evenPairKeepsTheNextPortForItsTokenOnly() {
        RelayPortPool pool = new RelayPortPool(50000, 50003, clock);
        RelayPortPool.Reservation pair = pool.acquireEvenPair().orElseThrow();
        assertThat(pair.port() % 2).isZero();
        assertThat(pool.inUse()).isEqualTo(2);
        assertThat(pool.claim(pair.token() + 1)).isEmpty();
        assertThat(pool.claim(pair.token())).isEqualTo(OptionalInt.of(pair.port() + 1));
        assertThat(pool.claim(pair.token())).isEmpty();
    }

    @Test
    void reservationExpiresAfterThirtySecondsAndFreesThePort() {
        RelayPortPool pool = new RelayPortPool(50000, 50001, clock);
        RelayPortPool.Reservation pair = pool.acquireEvenPair().orElseThrow();
        clock.advance(Duration.ofSeconds(29));
        pool.expireReservations();
        assertThat(pool.holds(pair.token())).isTrue();
        clock.advance(Duration.ofSeconds(1));
        pool.expireReservations();
        assertThat(pool.holds(pair.token())).isFalse();
        assertThat(pool.inUse()).isEqualTo(1);
        assertThat(pool.acquire()).isEqualTo(OptionalInt.of(50001));
    }

    @Test
    void refusesAnEmptyOrReversedRange() {
        assertThatThrownBy(() -> new RelayPortPool(60000, 50000, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayPortPool(0, 10, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
