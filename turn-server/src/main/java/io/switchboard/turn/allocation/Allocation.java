package io.switchboard.turn.allocation;

import io.switchboard.stun.TransactionId;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One TURN allocation (RFC 8656 §3.2, §6): the five-tuple it belongs to, the user who made it, its relayed addresses,
 * its lifetime, permissions (§9) and channel bindings (§12).
 *
 * <p>Lookups used on the relay's hot path ({@link #permission}, {@link #channel(int)}, {@link #channelTo}) are O(1) and
 * lock-free; changes (requests, expiry) synchronise on the allocation. Times are epoch milliseconds of the table's clock.
 */
public final class Allocation {
    /** Where an allocation is in its life. */
    public enum State { PENDING, ACTIVE, CLOSED }

    private static final int BLOCK_BITS = 10;
    private static final int BLOCK_MASK = (1 << BLOCK_BITS) - 1;

    private final FiveTuple fiveTuple;
    private final String username;
    private final String quotaKey;
    private final String realm;
    private final TransactionId createdBy;
    private final AllocationTable.Counts counts;
    private final TokenBucket bandwidth;

    private final Map<InetAddress, Permission> permissions = new ConcurrentHashMap<>();
    /** Channel bindings by number in blocks of 1024 made on first use: O(1) lookup, little memory for few channels. */
    private final AtomicReferenceArray<AtomicReferenceArray<ChannelBinding>> channelsByNumber =
            new AtomicReferenceArray<>(ChannelNumbers.COUNT >> BLOCK_BITS);
    private final Map<InetSocketAddress, ChannelBinding> channelsByPeer = new ConcurrentHashMap<>();
    private final AtomicInteger channelCount = new AtomicInteger();

    private volatile List<RelayEndpoint> relays = List.of();
    private volatile long expiresAtMillis;
    private volatile State state = State.PENDING;
    private volatile boolean dontFragment;

    Allocation(FiveTuple fiveTuple, String username, String quotaKey, String realm, TransactionId createdBy,
               AllocationTable.Counts counts, long bytesPerSecond) {
        this.fiveTuple = fiveTuple;
        this.username = username;
        this.quotaKey = quotaKey;
        this.realm = realm;
        this.createdBy = createdBy;
        this.counts = counts;
        this.bandwidth = bytesPerSecond > 0 ? new TokenBucket(bytesPerSecond) : null;
    }

    public FiveTuple fiveTuple() {
        return fiveTuple;
    }

    /** The USERNAME that created it; every later request must use the same (RFC 8656 §5, 441 otherwise). */
    public String username() {
        return username;
    }

    /** The name quotas count this allocation under. */
    public String quotaKey() {
        return quotaKey;
    }

    public String realm() {
        return realm;
    }

    /** The transaction of the Allocate request that made it, to recognise a retransmission (RFC 8656 §7.2). */
    public TransactionId createdBy() {
        return createdBy;
    }

    public State state() {
        return state;
    }

    public boolean isActive() {
        return state == State.ACTIVE;
    }

    /** The relayed endpoints: one, or an IPv4 and an IPv6 one for a dual allocation (RFC 8656 §7.2, RFC 6156). */
    public List<RelayEndpoint> relays() {
        return relays;
    }

    /** The relay of the peer's address family, or null when the allocation has none (443). */
    public RelayEndpoint relayFor(InetAddress peer) {
        List<RelayEndpoint> current = relays;
        for (int i = 0; i < current.size(); i++) {
            RelayEndpoint relay = current.get(i);
            if (relay.relayedAddress().getAddress().getClass() == peer.getClass()) {
                return relay;
            }
        }
        return null;
    }

    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    public boolean dontFragment() {
        return dontFragment;
    }

    synchronized void activate(List<RelayEndpoint> relayEndpoints, long expiresAt, boolean dontFragmentRequested) {
        this.relays = List.copyOf(relayEndpoints);
        this.expiresAtMillis = expiresAt;
        this.dontFragment = dontFragmentRequested;
        this.state = State.ACTIVE;
    }

    synchronized void refresh(long expiresAt) {
        this.expiresAtMillis = expiresAt;
    }

    // ---------------------------------------------------------------- permissions (RFC 8656 §9)

    /** The permission for this peer IP, or null; check {@link Permission#isActive}. */
    public Permission permission(InetAddress peer) {
        return permissions.get(peer);
    }

    /** Whether packets to and from this peer IP may be relayed now. */
    public boolean hasPermission(InetAddress peer, long nowMillis) {
        Permission p = permissions.get(peer);
        return p != null && p.isActive(nowMillis);
    }

    /** The number of peer addresses with a permission, expired ones not yet swept included. */
    public int permissionCount() {
        return permissions.size();
    }

    /**
     * Installs or refreshes permissions for all of these peers, or none when that would exceed {@code maxPermissions}
     * (RFC 8656 §9.2: a CreatePermission succeeds or fails as a whole).
     *
     * @param checkedWith the peer policy the addresses were checked against
     * @throws AllocationException 508 when the quota would be exceeded
     */
    public synchronized void installPermissions(List<InetAddress> peers, long nowMillis, int maxPermissions,
                                                Object checkedWith) throws AllocationException {
        int added = 0;
        List<InetAddress> seen = new ArrayList<>(peers.size());
        for (InetAddress peer : peers) {
            if (!permissions.containsKey(peer) && !seen.contains(peer)) {
                added++;
                seen.add(peer);
            }
        }
        if (permissions.size() + added > maxPermissions) {
            throw new AllocationException(508, "permission quota of " + maxPermissions + " peer addresses reached");
        }
        long expiresAt = nowMillis + Lifetimes.PERMISSION.toMillis();
        for (InetAddress peer : peers) {
            Permission existing = permissions.get(peer);
            if (existing != null) {
                existing.refresh(expiresAt, checkedWith);
            } else {
                permissions.put(peer, new Permission(peer, expiresAt, checkedWith));
                counts.permissions.incrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------- channels (RFC 8656 §11, §12)

    /** The binding of this channel number (active or cooling down), or null. O(1): an array index. */
    public ChannelBinding channel(int number) {
        if (!ChannelNumbers.isValid(number)) {
            return null;
        }
        int index = number - ChannelNumbers.MIN;
        AtomicReferenceArray<ChannelBinding> block = channelsByNumber.get(index >> BLOCK_BITS);
        return block == null ? null : block.get(index & BLOCK_MASK);
    }

    /** The binding to this peer transport address (active or cooling down), or null. */
    public ChannelBinding channelTo(InetSocketAddress peer) {
        return channelsByPeer.get(peer);
    }

    public int channelCount() {
        return channelCount.get();
    }

    /**
     * Binds or refreshes channel {@code number} to {@code peer} and installs or refreshes the permission for the peer's
     * IP (RFC 8656 §11.2). The number must be 0x4000-0x7FFF ({@link ChannelNumbers}), must not be bound to another peer, and the peer must not be
     * bound to another number; bindings that expired less than 5 minutes ago still count. The permission quota also
     * caps the channels of the allocation, so that one allocation cannot hold 16,384 bindings (RFC 8656 §21.1.4).
     *
     * @throws AllocationException 400 for a bad or conflicting binding, 508 when the permission or channel quota is
     *                             reached
     */
    public synchronized ChannelBinding bindChannel(int number, InetSocketAddress peer, long nowMillis, int maxPermissions,
                                                   Object checkedWith) throws AllocationException {
        if (!ChannelNumbers.isValid(number)) {
            throw new AllocationException(400, String.format("channel number 0x%04x outside 0x4000-0x7FFF", number));
        }
        ChannelBinding byNumber = channel(number);
        if (byNumber != null && !byNumber.isReserved(nowMillis)) {
            forget(byNumber);
            byNumber = null;
        }
        ChannelBinding byPeer = channelsByPeer.get(peer);
        if (byPeer != null && !byPeer.isReserved(nowMillis)) {
            forget(byPeer);
            byPeer = null;
        }
        if (byNumber != null && !byNumber.peer().equals(peer)) {
            throw new AllocationException(400, String.format("channel 0x%04x is bound to another peer", number));
        }
        if (byPeer != null && byPeer.number() != number) {
            throw new AllocationException(400, String.format("peer is bound to channel 0x%04x", byPeer.number()));
        }
        if (byNumber == null && channelCount.get() >= maxPermissions) {
            throw new AllocationException(508, "channel quota of " + maxPermissions + " channels reached");
        }
        installPermissions(List.of(peer.getAddress()), nowMillis, maxPermissions, checkedWith);
        long expiresAt = nowMillis + Lifetimes.CHANNEL.toMillis();
        if (byNumber != null) {
            byNumber.refresh(expiresAt);
            return byNumber;
        }
        ChannelBinding binding = new ChannelBinding(number, peer, expiresAt);
        int index = number - ChannelNumbers.MIN;
        AtomicReferenceArray<ChannelBinding> block = channelsByNumber.get(index >> BLOCK_BITS);
        if (block == null) {
            block = new AtomicReferenceArray<>(1 << BLOCK_BITS);
            channelsByNumber.set(index >> BLOCK_BITS, block);
        }
        block.set(index & BLOCK_MASK, binding);
        channelsByPeer.put(peer, binding);
        channelCount.incrementAndGet();
        counts.channels.incrementAndGet();
        return binding;
    }

    private void forget(ChannelBinding binding) {
        int index = binding.number() - ChannelNumbers.MIN;
        AtomicReferenceArray<ChannelBinding> block = channelsByNumber.get(index >> BLOCK_BITS);
        if (block != null && block.compareAndSet(index & BLOCK_MASK, binding, null)) {
            channelsByPeer.remove(binding.peer(), binding);
            channelCount.decrementAndGet();
            counts.channels.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------- bandwidth and expiry

    /** Takes {@code bytes} from the allocation's bandwidth quota; false means drop the packet. */
    public boolean consumeBandwidth(int bytes, long nowMillis) {
        return bandwidth == null || bandwidth.tryConsume(bytes, nowMillis);
    }

    /** Drops expired permissions and channel bindings past their cool-down. */
    synchronized void sweep(long nowMillis) {
        if (permissions.isEmpty() && channelsByPeer.isEmpty()) {
            return;
        }
        permissions.values().removeIf(p -> {
            if (!p.isActive(nowMillis)) {
                counts.permissions.decrementAndGet();
                return true;
            }
            return false;
        });
        for (ChannelBinding binding : channelsByPeer.values()) {
            if (!binding.isReserved(nowMillis)) {
                forget(binding);
            }
        }
    }

    /** Marks it closed and forgets permissions and channels; the table closes the relays. */
    synchronized List<RelayEndpoint> close() {
        state = State.CLOSED;
        counts.permissions.addAndGet(-permissions.size());
        permissions.clear();
        for (ChannelBinding binding : channelsByPeer.values()) {
            forget(binding);
        }
        List<RelayEndpoint> closing = relays;
        relays = List.of();
        return closing;
    }

    @Override
    public String toString() {
        return "Allocation[" + fiveTuple + ", user=" + username + ", relays=" + relaysText() + ", " + state + "]";
    }

    private String relaysText() {
        StringBuilder text = new StringBuilder();
        for (RelayEndpoint r : relays) {
            if (text.length() > 0) {
                text.append(' ');
            }
            InetSocketAddress a = r.relayedAddress();
            text.append(a.getAddress().getHostAddress()).append(':').append(a.getPort());
        }
        return text.toString();
    }
}
