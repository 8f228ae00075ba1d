package io.switchboard.signaling.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.room.RoomDirectory;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/** The meters of the signaling server, all named {@code switchboard.signaling.*}. */
public final class SignalingMetrics {
    /** Transports a session can use, the values of the {@code transport} tag. */
    public enum Transport {
        WS("ws"), SSE("sse");

        private final String tag;

        Transport(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final Map<Transport, AtomicInteger> connections = new EnumMap<>(Transport.class);
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Counter relayed;
    private final Counter resumes;
    private final Counter resumesFailed;
    private final Counter joins;

    private final MeterRegistry registry;
    /** Held here because gauges keep only a weak reference to what they observe. */
    private IntSupplier watchedRooms;
    private IntSupplier watchedPeers;

    public SignalingMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Transport transport : Transport.values()) {
            AtomicInteger count = new AtomicInteger();
            connections.put(transport, count);
            Gauge.builder("switchboard.signaling.connections", count, AtomicInteger::get)
                    .tag("transport", transport.tag())
                    .description("Open signaling connections")
                    .register(registry);
        }
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("switchboard.signaling.errors").tag("code", code.code())
                    .description("Error messages sent to clients").register(registry));
        }
        relayed = Counter.builder("switchboard.signaling.messages.relayed")
                .description("Signals relayed from one peer to another").register(registry);
        joins = Counter.builder("switchboard.signaling.joins").description("Successful fresh joins").register(registry);
        resumes = Counter.builder("switchboard.signaling.resumes").tag("outcome", "resumed")
                .description("Resume attempts").register(registry);
        resumesFailed = Counter.builder("switchboard.signaling.resumes").tag("outcome", "failed")
                .description("Resume attempts").register(registry);
    }

    /** Registers the room and peer gauges of {@code directory}. */
    public void watch(RoomDirectory directory) {
        Gauge.builder("switchboard.signaling.rooms", directory, RoomDirectory::roomCount)
                .description("Rooms with at least one peer").register(registry);
        Gauge.builder("switchboard.signaling.peers", directory, RoomDirectory::peerCount)
                .description("Peers in rooms, connected or within their resume grace period").register(registry);
    }

    /** Registers the room and peer gauges of a clustered node (its own peers and their rooms). */
    public void watch(IntSupplier rooms, IntSupplier peers) {
        watchedRooms = rooms;
        watchedPeers = peers;
        Gauge.builder("switchboard.signaling.rooms", this, m -> m.watchedRooms.getAsInt())
                .description("Rooms with at least one peer").register(registry);
        Gauge.builder("switchboard.signaling.peers", this, m -> m.watchedPeers.getAsInt())
                .description("Peers in rooms, connected or within their resume grace period").register(registry);
    }

    public void connectionOpened(Transport transport) {
        connections.get(transport).incrementAndGet();
    }

    public void connectionClosed(Transport transport) {
        connections.get(transport).decrementAndGet();
    }

    public void error(ErrorCode code) {
        errors.get(code).increment();
    }

    public void relayed() {
        relayed.increment();
    }

    public void joined() {
        joins.increment();
    }

    public void resumed() {
        resumes.increment();
    }

    public void resumeFailed() {
        resumesFailed.increment();
    }
}
