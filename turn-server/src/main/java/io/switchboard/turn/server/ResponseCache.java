package io.switchboard.turn.server;

import io.switchboard.stun.TransactionId;
import io.switchboard.turn.allocation.FiveTuple;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    private record Entry(byte[] response, long expiresAtMillis) {
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    /** The response already sent to this request, or null. */
    byte[] get(FiveTuple fiveTuple, TransactionId transactionId, long nowMillis) {
        Entry entry = entries.get(new Key(fiveTuple, transactionId));
        return entry == null || nowMillis >= entry.expiresAtMillis ? null : entry.response;
    }

    void put(FiveTuple fiveTuple, TransactionId transactionId, byte[] response, long nowMillis) {
        if (entries.size() < MAX_ENTRIES) {
            entries.put(new Key(fiveTuple, transactionId), new Entry(response, nowMillis + LIFETIME.toMillis()));
        }
    }

    void sweep(long nowMillis) {
        entries.values().removeIf(e -> nowMillis >= e.expiresAtMillis);
    }

    int size() {
        return entries.size();
    }
}
