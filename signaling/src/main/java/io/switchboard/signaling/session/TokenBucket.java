package io.switchboard.signaling.session;

/** A token bucket: {@code capacity} tokens, refilled at {@code perSecond}; not thread-safe. */
public final class TokenBucket {
    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    public TokenBucket(double capacity, double perSecond, long nowNanos) {
        this.capacity = capacity;
        this.perNano = perSecond / 1e9;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes one token if there is one at {@code nowNanos}. */
    public boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            last = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
