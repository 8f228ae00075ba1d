package io.switchboard.turn.allocation;

import io.switchboard.stun.TransactionId;
import io.switchboard.turn.FakeClock;
import io.switchboard.turn.policy.Quotas;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Allocation state with a fake clock: lifetimes, expiry, quotas, permissions and channel bindings (RFC 8656). */
class AllocationTableTest {
    private static final InetSocketAddress SERVER = address("127.0.0.1", 3478);
    private static final Object POLICY = new Object();

    private final FakeClock clock = new FakeClock();
    private final RelayPortPool pool = new RelayPortPool(50000, 50009, clock);
    private final List<String> events = new ArrayList<>();
    private Quotas quotas = Quotas.DEFAULTS;
    private final AllocationTable table = new AllocationTable(clock, () -> quotas, new AllocationListener() {
        @Override
        public void started(Allocation allocation) {
            events.add("started " + allocation.username());
        }

        @Override
        public void ended(Allocation allocation, CloseReason reason) {
            events.add("ended " + allocation.username() + " " + reason.tag());
        }
    });

    @Test
    void expiryAfterTheLifetimeFreesTheRelayPort() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofMinutes(10));
        assertThat(pool.inUse()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(table.sweep()).isZero();
        assertThat(pool.inUse()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(table.sweep()).isEqualTo(1);
        assertThat(pool.inUse()).isZero();
        assertThat(table.find(allocation.fiveTuple())).isEmpty();
        assertThat(allocation.state()).isEqualTo(Allocation.State.CLOSED);
        assertThat(events).containsExactly("started alice", "ended alice expired");
    }

    @Test
    void refreshRestartsTheLifetime() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(9));
        table.refresh(allocation, Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(9));
        assertThat(table.sweep()).isZero();
        assertThat(allocation.isActive()).isTrue();
    }

    @Test
    void refreshWithZeroLifetimeDeletesAtOnce() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofMinutes(10));
        table.refresh(allocation, Duration.ZERO);
        assertThat(table.find(allocation.fiveTuple())).isEmpty();
        assertThat(pool.inUse()).isZero();
        assertThat(events).containsExactly("started alice", "ended alice deleted");
    }

    @Test
    void secondAllocationOnTheSameFiveTupleIsRefusedWith437() throws Exception {
        allocate(client(1), "alice", Duration.ofMinutes(10));
        assertThatThrownBy(() -> table.reserve(fiveTuple(client(1)), "alice", "user:alice", "r", TransactionId.random()))
                .isInstanceOfSatisfying(AllocationException.class, e -> assertThat(e.errorCode()).isEqualTo(437));
    }

    @Test
    void userOverItsAllocationQuotaGets486AndOthersStillAllocate() throws Exception {
        quotas = quotas.withAllocationsPerUser(2);
        allocate(client(1), "alice", Duration.ofMinutes(10));
        allocate(client(2), "alice", Duration.ofMinutes(10));
        assertThatThrownBy(() -> table.reserve(fiveTuple(client(3)), "alice", "user:alice", "r", TransactionId.random()))
                .isInstanceOfSatisfying(AllocationException.class, e -> assertThat(e.errorCode()).isEqualTo(486));
        allocate(client(4), "bob", Duration.ofMinutes(10));
        assertThat(table.allocationCount("user:alice")).isEqualTo(2);
    }

    @Test
    void serverOverItsTotalQuotaGets508() throws Exception {
        quotas = quotas.withTotalAllocations(1);
        allocate(client(1), "alice", Duration.ofMinutes(10));
        assertThatThrownBy(() -> table.reserve(fiveTuple(client(2)), "bob", "user:bob", "r", TransactionId.random()))
                .isInstanceOfSatisfying(AllocationException.class, e -> assertThat(e.errorCode()).isEqualTo(508));
    }

    @Test
    void removingAnAllocationGivesItsQuotaBack() throws Exception {
        quotas = quotas.withAllocationsPerUser(1);
        Allocation first = allocate(client(1), "alice", Duration.ofMinutes(10));
        table.remove(first, CloseReason.DELETED);
        allocate(client(2), "alice", Duration.ofMinutes(10));
        assertThat(table.allocationCount()).isEqualTo(1);
    }

    @Test
    void findsAllocationByRelayedAddressUntilItEnds() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofMinutes(10));
        InetSocketAddress relayed = allocation.relays().get(0).relayedAddress();
        assertThat(table.byRelayedAddress(relayed)).isSameAs(allocation);
        assertThat(table.clientIndex(SERVER, Transport.UDP).find(client(1))).isSameAs(allocation);
        table.remove(allocation, CloseReason.DELETED);
        assertThat(table.byRelayedAddress(relayed)).isNull();
        assertThat(table.clientIndex(SERVER, Transport.UDP).find(client(1))).isNull();
    }

    @Test
    void permissionLastsFiveMinutesUnlessRefreshed() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofMinutes(10));
        InetAddress peer = InetAddress.getByName("8.8.8.8");
        allocation.installPermissions(List.of(peer), clock.millis(), 10, POLICY);
        clock.advance(Duration.ofMinutes(4));
        assertThat(allocation.hasPermission(peer, clock.millis())).isTrue();
        allocation.installPermissions(List.of(peer), clock.millis(), 10, POLICY);
        clock.advance(Duration.ofMinutes(4));
        assertThat(allocation.hasPermission(peer, clock.millis())).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(allocation.hasPermission(peer, clock.millis())).isFalse();
        assertThat(table.permissionCount()).isEqualTo(1);
        table.sweep();
        assertThat(table.permissionCount()).isZero();
    }

    @Test
    void permissionQuotaRefusesTheWholeRequestWith508() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofMinutes(10));
        InetAddress a = InetAddress.getByName("8.8.8.8");
        InetAddress b = InetAddress.getByName("8.8.4.4");
        InetAddress c = InetAddress.getByName("1.1.1.1");
        allocation.installPermissions(List.of(a), clock.millis(), 2, POLICY);
        assertThatThrownBy(() -> allocation.installPermissions(List.of(b, c), clock.millis(), 2, POLICY))
                .isInstanceOfSatisfying(AllocationException.class, e -> assertThat(e.errorCode()).isEqualTo(508));
        assertThat(allocation.permission(b)).isNull();
        allocation.installPermissions(List.of(a, b, b), clock.millis(), 2, POLICY);
        assertThat(allocation.permissionCount()).isEqualTo(2);
    }

    @Test
    void channelBindingInstallsAPermissionAndLastsTenMinutes() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofHours(1));
        InetSocketAddress peer = address("8.8.8.8", 5000);
        ChannelBinding binding = allocation.bindChannel(0x4000, peer, clock.millis(), 10, POLICY);
        assertThat(allocation.channel(0x4000)).isSameAs(binding);
        assertThat(allocation.channelTo(peer)).isSameAs(binding);
        assertThat(allocation.hasPermission(peer.getAddress(), clock.millis())).isTrue();
        clock.advance(Duration.ofMinutes(10));
        assertThat(binding.isActive(clock.millis())).isFalse();
        assertThat(table.channelCount()).isEqualTo(1);
    }

    @Test
    void channelNumberBoundToOnePeerCannotBeBoundToAnotherWith400() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofHours(1));
        allocation.bindChannel(0x4001, address("8.8.8.8", 5000), clock.millis(), 10, POLICY);
        assertThatThrownBy(() -> allocation.bindChannel(0x4001, address("8.8.8.8", 5001), clock.millis(), 10, POLICY))
                .isInstanceOfSatisfying(AllocationException.class, e -> assertThat(e.errorCode()).isEqualTo(400));
        assertThatThrownBy(() -> allocation.bindChannel(0x4002, address("8.8.8.8", 5000), clock.millis(), 10, POLICY))
                .isInstanceOfSatisfying(AllocationException.class, e -> assertThat(e.errorCode()).isEqualTo(400));
    }

    @Test
    void rebindingTheSamePairRefreshesIt() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofHours(1));
        InetSocketAddress peer = address("8.8.8.8", 5000);
        ChannelBinding first = allocation.bindChannel(0x4abc, peer, clock.millis(), 10, POLICY);
        clock.advance(Duration.ofMinutes(9));
        ChannelBinding second = allocation.bindChannel(0x4abc, peer, clock.millis(), 10, POLICY);
        clock.advance(Duration.ofMinutes(9));
        assertThat(second).isSameAs(first);
        assertThat(second.isActive(clock.millis())).isTrue();
        assertThat(allocation.channelCount()).isEqualTo(1);
    }

    @Test
    void expiredChannelStaysReservedForFiveMinutesThenFrees() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofHours(1));
        allocation.bindChannel(0x4000, address("8.8.8.8", 5000), clock.millis(), 10, POLICY);
        clock.advance(Duration.ofMinutes(10).plusMinutes(4));
        assertThatThrownBy(() -> allocation.bindChannel(0x4000, address("8.8.8.8", 6000), clock.millis(), 10, POLICY))
                .isInstanceOf(AllocationException.class);
        clock.advance(Duration.ofMinutes(1));
        allocation.bindChannel(0x4000, address("8.8.8.8", 6000), clock.millis(), 10, POLICY);
        assertThat(allocation.channel(0x4000).peer()).isEqualTo(address("8.8.8.8", 6000));
        assertThat(allocation.channelTo(address("8.8.8.8", 5000))).isNull();
    }

    @Test
    void channelNumbersOutsideTheRangeAreRefused() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofHours(1));
        for (int number : new int[] {0x3FFF, 0x8000, 0}) {
            assertThatThrownBy(() -> allocation.bindChannel(number, address("8.8.8.8", 5000), clock.millis(), 10, POLICY))
                    .isInstanceOfSatisfying(AllocationException.class, e -> assertThat(e.errorCode()).isEqualTo(400));
        }
        allocation.bindChannel(0x4FFF, address("8.8.8.8", 5000), clock.millis(), 10, POLICY);
        allocation.bindChannel(0x7FFF, address("8.8.8.8", 5001), clock.millis(), 10, POLICY);
        assertThat(allocation.channel(0x7FFF)).isNotNull();
    }

    @Test
    void closingAnAllocationForgetsItsPermissionsAndChannels() throws Exception {
        Allocation allocation = allocate(client(1), "alice", Duration.ofHours(1));
        allocation.bindChannel(0x4000, address("8.8.8.8", 5000), clock.millis(), 10, POLICY);
        allocation.installPermissions(List.of(InetAddress.getByName("1.1.1.1")), clock.millis(), 10, POLICY);
        table.removeAll(CloseReason.SHUTDOWN);
        assertThat(table.permissionCount()).isZero();
        assertThat(table.channelCount()).isZero();
        assertThat(table.allocationCount()).isZero();
    }

    @Test
    void bandwidthQuotaDropsWhatExceedsOneSecondOfBytes() throws Exception {
        quotas = quotas.withBytesPerSecondPerAllocation(1000);
        Allocation allocation = allocate(client(1), "alice", Duration.ofHours(1));
        assertThat(allocation.consumeBandwidth(600, clock.millis())).isTrue();
        assertThat(allocation.consumeBandwidth(600, clock.millis())).isFalse();
        clock.advance(Duration.ofMillis(500));
        assertThat(allocation.consumeBandwidth(600, clock.millis())).isTrue();
    }

    @Test
    void lifetimesFollowRfc8656() {
        assertThat(Lifetimes.forAllocate(0)).isEqualTo(Duration.ofSeconds(600));
        assertThat(Lifetimes.forAllocate(60)).isEqualTo(Duration.ofSeconds(600));
        assertThat(Lifetimes.forAllocate(1200)).isEqualTo(Duration.ofSeconds(1200));
        assertThat(Lifetimes.forAllocate(100_000)).isEqualTo(Duration.ofSeconds(3600));
        assertThat(Lifetimes.forRefresh(0)).isZero();
        assertThat(Lifetimes.forRefresh(30)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Lifetimes.forRefresh(7200)).isEqualTo(Duration.ofSeconds(3600));
        assertThat(Lifetimes.PERMISSION).isEqualTo(Duration.ofSeconds(300));
        assertThat(Lifetimes.CHANNEL).isEqualTo(Duration.ofSeconds(600));
    }

    private Allocation allocate(InetSocketAddress client, String user, Duration lifetime) throws AllocationException {
        Allocation allocation = table.reserve(fiveTuple(client), user, "user:" + user, "r", TransactionId.random());
        int port = pool.acquire().orElseThrow();
        table.activate(allocation, List.of(new PooledRelay(pool, port)), lifetime, false);
        return allocation;
    }

    private static FiveTuple fiveTuple(InetSocketAddress client) {
        return new FiveTuple(client, SERVER, Transport.UDP);
    }

    private static InetSocketAddress client(int n) {
        return address("192.0.2.10", 40000 + n);
    }

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A relay that only holds a port of the pool. */
    private static final class PooledRelay implements RelayEndpoint {
        private final RelayPortPool pool;
        private final int port;

        PooledRelay(RelayPortPool pool, int port) {
            this.pool = pool;
            this.port = port;
        }

        @Override
        public InetSocketAddress relayedAddress() {
            return address("203.0.113.1", port);
        }

        @Override
        public void close() {
            pool.release(port);
        }
    }
}
