package io.switchboard.turn.allocation;

import io.switchboard.stun.TransactionId;
import io.switchboard.turn.policy.Quotas;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Every allocation of the server, by five-tuple and by relayed address, with the allocation quotas (RFC 8656 §5, §7.2
 * steps 2 and 10) and expiry (§3.2).
 *
 * <p>Lookups are O(1) and lock-free: five-tuple to allocation through a per-listener index (so the relay's hot path
 * needs no key object), relayed address to allocation for delivery between two allocations of this server. Creating
 * and removing allocations takes the table's lock. Time comes from the given clock, so tests drive expiry.
 */
public final class AllocationTable {
    /** Live totals across all allocations, read by gauges. */
    static final class Counts {
        final AtomicInteger allocations = new AtomicInteger();
        final AtomicInteger permissions = new AtomicInteger();
        final AtomicInteger channels = new AtomicInteger();
    }

    /** The allocations of the clients of one server address and transport, by client address. */
    public static final class ClientIndex {
        private final Map<InetSocketAddress, Allocation> byClient = new ConcurrentHashMap<>();

        /** The allocation of this client, or null. */
        public Allocation find(InetSocketAddress client) {
            return byClient.get(client);
        }
    }

    private record ServerKey(InetSocketAddress server, Transport transport) {
    }

    private final Clock clock;
    private final Supplier<Quotas> quotas;
    private final AllocationListener listener;
    private final Counts counts = new Counts();
    private final Map<ServerKey, ClientIndex> indexes = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Allocation> byRelayedAddress = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    public AllocationTable(Clock clock, Supplier<Quotas> quotas, AllocationListener listener) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.quotas = Objects.requireNonNull(quotas, "quotas");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public Clock clock() {
        return clock;
    }

    /** The index of one listener: its server address and transport. The same object every time. */
    public ClientIndex clientIndex(InetSocketAddress server, Transport transport) {
        return indexes.computeIfAbsent(new ServerKey(server, transport), k -> new ClientIndex());
    }

    public Optional<Allocation> find(FiveTuple fiveTuple) {
        ClientIndex index = indexes.get(new ServerKey(fiveTuple.server(), fiveTuple.transport()));
        return index == null ? Optional.empty() : Optional.ofNullable(index.find(fiveTuple.client()));
    }

    /** The allocation whose relayed address this is, or null: a peer that is this server itself (internal delivery). */
    public Allocation byRelayedAddress(InetSocketAddress address) {
        return byRelayedAddress.get(address);
    }

    /**
     * Reserves a new, pending allocation for the five-tuple (RFC 8656 §7.2 steps 2 and 10).
     *
     * @throws AllocationException 437 when the five-tuple already has one, 486 when the user's quota is reached, 508
     *                             when the server's is
     */
    public Allocation reserve(FiveTuple fiveTuple, String username, String quotaKey, String realm,
                              TransactionId createdBy) throws AllocationException {
        Quotas limits = quotas.get();
        ClientIndex index = clientIndex(fiveTuple.server(), fiveTuple.transport());
        synchronized (lock) {
            if (index.find(fiveTuple.client()) != null) {
                throw new AllocationException(437, "an allocation exists for this five-tuple");
            }
            if (counts.allocations.get() >= limits.totalAllocations()) {
                throw new AllocationException(508, "server allocation quota of " + limits.totalAllocations() + " reached");
            }
            AtomicInteger userCount = perUser.computeIfAbsent(quotaKey, k -> new AtomicInteger());
            if (userCount.get() >= limits.allocationsPerUser()) {
                throw new AllocationException(486, "allocation quota of " + limits.allocationsPerUser() + " per user reached");
            }
            userCount.incrementAndGet();
            counts.allocations.incrementAndGet();
            Allocation allocation = new Allocation(fiveTuple, username, quotaKey, realm, createdBy, counts,
                    limits.bytesPerSecondPerAllocation());
            index.byClient.put(fiveTuple.client(), allocation);
            return allocation;
        }
    }

    /** Makes a reserved allocation live with its relays and lifetime, and tells the listener. */
    public void activate(Allocation allocation, List<RelayEndpoint> relays, Duration lifetime, boolean dontFragment) {
        synchronized (lock) {
            if (allocation.state() != Allocation.State.PENDING) {
                throw new IllegalStateException("allocation is " + allocation.state() + ", not pending");
            }
            allocation.activate(relays, clock.millis() + lifetime.toMillis(), dontFragment);
            for (RelayEndpoint relay : relays) {
                byRelayedAddress.put(relay.relayedAddress(), allocation);
            }
        }
        listener.started(allocation);
    }

    /** Sets a new time-to-expiry (RFC 8656 §7.3); a zero lifetime is {@link #remove} with {@link CloseReason#DELETED}. */
    public void refresh(Allocation allocation, Duration lifetime) {
        if (lifetime.isZero()) {
            remove(allocation, CloseReason.DELETED);
        } else {
            allocation.refresh(clock.millis() + lifetime.toMillis());
        }
    }

    /** Removes the allocation, closes its relays (freeing their ports) and tells the listener; idempotent. */
    public void remove(Allocation allocation, CloseReason reason) {
        List<RelayEndpoint> relays;
        boolean wasActive;
        synchronized (lock) {
            ClientIndex index = indexes.get(new ServerKey(allocation.fiveTuple().server(), allocation.fiveTuple().transport()));
            if (index == null || !index.byClient.remove(allocation.fiveTuple().client(), allocation)) {
                return;
            }
            wasActive = allocation.isActive();
            relays = allocation.close();
            for (RelayEndpoint relay : relays) {
                byRelayedAddress.remove(relay.relayedAddress(), allocation);
            }
            counts.allocations.decrementAndGet();
            AtomicInteger userCount = perUser.get(allocation.quotaKey());
            if (userCount != null && userCount.decrementAndGet() <= 0) {
                perUser.remove(allocation.quotaKey(), userCount);
            }
        }
        for (RelayEndpoint relay : relays) {
            relay.close();
        }
        if (wasActive) {
            listener.ended(allocation, reason);
        }
    }

    /**
     * Removes expired allocations and, in the others, expired permissions and cooled-down channel bindings; returns the
     * allocations removed.
     */
    public int sweep() {
        long now = clock.millis();
        List<Allocation> expired = new ArrayList<>();
        for (ClientIndex index : indexes.values()) {
            for (Allocation allocation : index.byClient.values()) {
                if (allocation.isActive() && allocation.isExpired(now)) {
                    expired.add(allocation);
                } else if (allocation.isActive()) {
                    allocation.sweep(now);
                }
            }
        }
        for (Allocation allocation : expired) {
            remove(allocation, CloseReason.EXPIRED);
        }
        return expired.size();
    }

    /** Removes every allocation, e.g. at shutdown. */
    public void removeAll(CloseReason reason) {
        for (ClientIndex index : indexes.values()) {
            for (Allocation allocation : index.byClient.values()) {
                remove(allocation, reason);
            }
        }
    }

    /** Active and pending allocations. */
    public int allocationCount() {
        return counts.allocations.get();
    }

    public int permissionCount() {
        return counts.permissions.get();
    }

    public int channelCount() {
        return counts.channels.get();
    }

    /** Allocations counted against this quota key. */
    public int allocationCount(String quotaKey) {
        AtomicInteger count = perUser.get(quotaKey);
        return count == null ? 0 : count.get();
    }
}
