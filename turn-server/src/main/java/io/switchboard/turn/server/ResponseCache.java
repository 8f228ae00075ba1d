package io.switchboard.turn.server;

import io.switchboard.stun.TransactionId;
import io.switchboard.turn.allocation.FiveTuple;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The responses to recent TURN requests by five-tuple and transaction id, so that a retransmitted request gets the
 * very same answer instead of being processed twice (RFC 8489 §6.3.1, RFC 8656 §7.2: a retransmitted Allocate must
 * not turn into 437). Entries live as long as a client keeps retransmitting (RFC 8489 §6.2.1: 39.5 s); the size is
 * capped so that a flood cannot exhaust memory.
 */
final class ResponseCache {
    static final Duration LIFETIME = Duration.ofSeconds(40);
    static final int MAX_ENTRIES = 50_000;

    private record Key(FiveTuple fiveTuple, TransactionId transactionId) {
    }

    private record Entry(Key key, byte[] response, long expiresAtMillis) {
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    /** Entries in the order they were added, which with one lifetime for all is the order they expire in. */
    private final Queue<Entry> byExpiry = new ConcurrentLinkedQueue<>();

    /** The response already sent to this request, or null. */
    byte[] get(FiveTuple fiveTuple, TransactionId transactionId, long nowMillis) {
        Entry entry = entries.get(new Key(fiveTuple, transactionId));
        return entry == null || nowMillis >= entry.expiresAtMillis ? null : entry.response;
    }

    void put(FiveTuple fiveTuple, TransactionId transactionId, byte[] response, long nowMillis) {
        if (entries.size() < MAX_ENTRIES) {
            Key key = new Key(fiveTuple, transactionId);
            Entry entry = new Entry(key, response, nowMillis + LIFETIME.toMillis());
            entries.put(key, entry);
            byExpiry.add(entry);
        }
    }

    /** Drops expired entries from the oldest on, so that a sweep costs what expired, not what is held. */
    void sweep(long nowMillis) {
        for (Entry head = byExpiry.peek(); head != null && nowMillis >= head.expiresAtMillis; head = byExpiry.peek()) {
            byExpiry.poll();
            entries.remove(head.key, head);
        }
    }

    int size() {
        return entries.size();
    }
}
