package io.switchboard.turn.auth;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits the 401 answers sent to each source IP over UDP, where a source address can be forged, so that the server
 * cannot be used to reflect traffic at a victim (RFC 8489 §16.1.2, RFC 8656 §21.1.3). A token bucket per IP; when too
 * many IPs are tracked the table starts over, which bounds memory at the price of a brief extra burst.
 */
public final class ChallengeRateLimiter {
    public static final int DEFAULT_PER_SECOND = 50;
    public static final int DEFAULT_BURST = 100;
    static final int MAX_TRACKED = 100_000;

    private static final class Bucket {
        double tokens;
        long lastMillis;

        Bucket(double tokens, long lastMillis) {
            this.tokens = tokens;
            this.lastMillis = lastMillis;
        }
    }

    private final double perSecond;
    private final int burst;
    private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    public ChallengeRateLimiter(double perSecond, int burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive, got " + perSecond + "/s burst " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Whether one more 401 may go to this source now. */
    public boolean tryAcquire(InetAddress source, long nowMillis) {
        if (buckets.size() >= MAX_TRACKED && !buckets.containsKey(source)) {
            buckets.clear();
        }
        Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(burst, nowMillis));
        synchronized (bucket) {
            long elapsed = Math.max(0, nowMillis - bucket.lastMillis);
            bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond / 1000.0);
            bucket.lastMillis = nowMillis;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    /** Forgets sources whose bucket has refilled: they are indistinguishable from new ones. */
    public void sweep(long nowMillis) {
        long refillMillis = (long) Math.ceil(burst * 1000.0 / perSecond);
        buckets.entrySet().removeIf(e -> nowMillis - e.getValue().lastMillis > refillMillis);
    }

    int tracked() {
        return buckets.size();
    }
}
