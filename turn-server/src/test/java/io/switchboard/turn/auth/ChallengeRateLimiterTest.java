package io.switchboard.turn.auth;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengeRateLimiterTest {
    @Test
    void allowsABurstPerSourceThenTheSustainedRate() throws Exception {
        ChallengeRateLimiter limiter = new ChallengeRateLimiter(10, 3);
        InetAddress source = InetAddress.getByName("198.51.100.1");
        assertThat(limiter.tryAcquire(source, 0)).isTrue();
        assertThat(limiter.tryAcquire(source, 0)).isTrue();
        assertThat(limiter.tryAcquire(source, 0)).isTrue();
        assertThat(limiter.tryAcquire(source, 0)).isFalse();
        assertThat(limiter.tryAcquire(source, 99)).isFalse();
        assertThat(limiter.tryAcquire(source, 100)).isTrue();
    }

    @Test
    void sourcesAreLimitedSeparately() throws Exception {
        ChallengeRateLimiter limiter = new ChallengeRateLimiter(1, 1);
        assertThat(limiter.tryAcquire(InetAddress.getByName("198.51.100.1"), 0)).isTrue();
        assertThat(limiter.tryAcquire(InetAddress.getByName("198.51.100.1"), 0)).isFalse();
        assertThat(limiter.tryAcquire(InetAddress.getByName("198.51.100.2"), 0)).isTrue();
    }

    @Test
    void sweepForgetsRefilledSources() throws Exception {
        ChallengeRateLimiter limiter = new ChallengeRateLimiter(10, 10);
        limiter.tryAcquire(InetAddress.getByName("198.51.100.1"), 0);
        limiter.sweep(500);
        assertThat(limiter.tracked()).isEqualTo(1);
        limiter.sweep(2000);
        assertThat(limiter.tracked()).isZero();
    }
}
