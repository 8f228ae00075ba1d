package io.switchboard.signaling.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** The meters of a clustered node, all named {@code switchboard.signaling.cluster.*}. */
final class ClusterMetrics {
    private final Counter outages;
    private final Counter recoveries;
    private final Counter redisErrors;
    private final Counter deliveries;
    private final Counter gapFills;
    private final Counter localRelays;
    private final Counter reaped;
    private final Counter leaseLapses;
    private final AtomicInteger liveNodes = new AtomicInteger();
    /** Held here because gauges keep only a weak reference to what they observe. */
    private final BooleanSupplier up;

    ClusterMetrics(MeterRegistry registry, BooleanSupplier up) {
        this.up = up;
        Gauge.builder("switchboard.signaling.cluster.up", this, m -> m.up.getAsBoolean() ? 1 : 0)
                .description("1 while this node reaches the cluster's Redis, 0 while it does not").register(registry);
        Gauge.builder("switchboard.signaling.cluster.nodes", liveNodes, AtomicInteger::get)
                .description("Nodes with a live lease, this one included, at the last heartbeat").register(registry);
        outages = Counter.builder("switchboard.signaling.cluster.outages")
                .description("Times this node lost Redis").register(registry);
        recoveries = Counter.builder("switchboard.signaling.cluster.recoveries")
                .description("Times this node got Redis back and handed its peers over again").register(registry);
        redisErrors = Counter.builder("switchboard.signaling.cluster.redis.errors")
                .description("Redis commands that failed").register(registry);
        deliveries = Counter.builder("switchboard.signaling.cluster.deliveries")
                .description("Deliveries received from Redis for peers of this node").register(registry);
        gapFills = Counter.builder("switchboard.signaling.cluster.gap.fills")
                .description("Reads of a peer's inbox to fill a gap in its deliveries").register(registry);
        localRelays = Counter.builder("switchboard.signaling.cluster.outage.relays")
                .description("Signals relayed between peers of this node while Redis was unreachable").register(registry);
        leaseLapses = Counter.builder("switchboard.signaling.cluster.lease.lapses")
                .description("Times this node found its lease had run out before it renewed it").register(registry);
        reaped = Counter.builder("switchboard.signaling.cluster.reaped")
                .description("Peers of dead nodes put into their grace period by this node").register(registry);
    }

    void outage() {
        outages.increment();
    }

    void recovered() {
        recoveries.increment();
    }

    void redisError() {
        redisErrors.increment();
    }

    void delivered() {
        deliveries.increment();
    }

    void gapFill() {
        gapFills.increment();
    }

    void localRelay() {
        localRelays.increment();
    }

    void leaseLapse() {
        leaseLapses.increment();
    }

    void reaped(long count) {
        reaped.increment(count);
    }

    void liveNodes(int count) {
        liveNodes.set(count);
    }
}
