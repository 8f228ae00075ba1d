package io.switchboard.turn.allocation;

/**
 * A token bucket of bytes per second with a burst of one second's worth, for the per-allocation bandwidth quota
 * (RFC 8656 §21.1.4). Uncontended in practice: both directions of an allocation run on one event loop.
 */
final class TokenBucket {
    private final long bytesPerSecond;
    private long tokens;
    private long lastRefillMillis = Long.MIN_VALUE;

    TokenBucket(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
    }

    synchronized boolean tryConsume(int bytes, long nowMillis) {
        if (lastRefillMillis == Long.MIN_VALUE) {
            lastRefillMillis = nowMillis;
        } else if (nowMillis > lastRefillMillis) {
            long elapsed = nowMillis - lastRefillMillis;
            long refill = elapsed >= 1000 ? bytesPerSecond : bytesPerSecond * elapsed / 1000;
            if (refill > 0) {
                tokens = Math.min(bytesPerSecond, tokens + refill);
                lastRefillMillis = nowMillis;
            }
        }
        if (tokens < bytes) {
            return false;
        }
        tokens -= bytes;
        return true;
    }
}
