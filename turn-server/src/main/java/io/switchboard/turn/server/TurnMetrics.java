package io.switchboard.turn.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.stun.StunMethod;
import io.switchboard.turn.allocation.AllocationTable;

import java.util.HashMap;
import java.util.Map;

/**
 * The meters of the STUN/TURN server, all named {@code switchboard.turn.*} with tags from small fixed sets (ARCHITECTURE
 * "Metrics"). Counters are created once here, so the hot path only increments.
 */
public final class TurnMetrics {
    static final String[] METHOD_TAGS = {"other", "binding", "other", "allocate", "refresh", "other", "send", "other",
            "create-permission", "channel-bind", "connect", "connection-bind", "connection-attempt"};
    static final int[] ERROR_CODES = {300, 400, 401, 403, 420, 437, 438, 440, 441, 442, 443, 446, 447, 486, 500, 508};

    private final Counter relayedPacketsToPeer;
    private final Counter relayedPacketsToClient;
    private final Counter relayedBytesToPeer;
    private final Counter relayedBytesToClient;
    private final Map<String, Counter> requests = new HashMap<>();
    private final Map<Integer, Counter> errors = new HashMap<>();
    private final Counter successes;
    private final Counter otherErrors;
    private final Counter[] dropped = new Counter[DropReason.values().length];
    private final Map<String, Counter> authFailures = new HashMap<>();
    private final Counter allocationsStarted;
    private final Counter redirectedDraining;
    private final Counter redirectedLoad;

    public TurnMetrics(MeterRegistry registry, AllocationTable table) {
        Gauge.builder("switchboard.turn.allocations", table, AllocationTable::allocationCount)
                .description("Allocations now held").strongReference(true).register(registry);
        Gauge.builder("switchboard.turn.permissions", table, AllocationTable::permissionCount)
                .description("Permissions now installed").strongReference(true).register(registry);
        Gauge.builder("switchboard.turn.channels", table, AllocationTable::channelCount)
                .description("Channel bindings now held").strongReference(true).register(registry);
        relayedPacketsToPeer = relayed(registry, "switchboard.turn.relayed.packets", "to-peer");
        relayedPacketsToClient = relayed(registry, "switchboard.turn.relayed.packets", "to-client");
        relayedBytesToPeer = relayed(registry, "switchboard.turn.relayed.bytes", "to-peer");
        relayedBytesToClient = relayed(registry, "switchboard.turn.relayed.bytes", "to-client");
        for (String method : METHOD_TAGS) {
            requests.computeIfAbsent(method, m -> Counter.builder("switchboard.turn.requests").tag("method", m)
                    .description("STUN and TURN requests received").register(registry));
        }
        successes = response(registry, "success");
        for (int code : ERROR_CODES) {
            errors.put(code, response(registry, Integer.toString(code)));
        }
        otherErrors = response(registry, "other");
        for (DropReason reason : DropReason.values()) {
            dropped[reason.ordinal()] = Counter.builder("switchboard.turn.dropped").tag("reason", reason.tag())
                    .description("Packets dropped").register(registry);
        }
        for (String reason : new String[] {"unknown-user", "expired", "wrong-password", "wrong-realm", "stale-nonce",
                "bad-request"}) {
            authFailures.put(reason, Counter.builder("switchboard.turn.auth.failures").tag("reason", reason)
                    .description("Requests that failed authentication").register(registry));
        }
        redirectedDraining = Counter.builder("switchboard.turn.redirects").tag("reason", "draining")
                .description("Allocate requests sent to an alternate server with 300 Try Alternate").register(registry);
        redirectedLoad = Counter.builder("switchboard.turn.redirects").tag("reason", "load")
                .description("Allocate requests sent to an alternate server with 300 Try Alternate").register(registry);
        allocationsStarted = Counter.builder("switchboard.turn.allocations.started")
                .description("Allocations created").register(registry);
    }

    private static Counter relayed(MeterRegistry registry, String name, String direction) {
        return Counter.builder(name).tag("direction", direction).register(registry);
    }

    private static Counter response(MeterRegistry registry, String code) {
        return Counter.builder("switchboard.turn.responses").tag("code", code)
                .description("STUN and TURN responses sent").register(registry);
    }

    public void relayedToPeer(int bytes) {
        relayedPacketsToPeer.increment();
        relayedBytesToPeer.increment(bytes);
    }

    public void relayedToClient(int bytes) {
        relayedPacketsToClient.increment();
        relayedBytesToClient.increment(bytes);
    }

    public void request(StunMethod method) {
        int code = method.code();
        requests.get(code < METHOD_TAGS.length ? METHOD_TAGS[code] : "other").increment();
    }

    /** A response sent: 0 for success, else the error code. */
    public void response(int errorCode) {
        if (errorCode == 0) {
            successes.increment();
        } else {
            errors.getOrDefault(errorCode, otherErrors).increment();
        }
    }

    public void dropped(DropReason reason) {
        dropped[reason.ordinal()].increment();
    }

    public void authFailure(String reason) {
        authFailures.get(reason).increment();
    }

    /** An Allocate was answered with 300 Try Alternate, because the server drains or because of its load. */
    public void redirected(String reason) {
        ("draining".equals(reason) ? redirectedDraining : redirectedLoad).increment();
    }

    public void allocationStarted() {
        allocationsStarted.increment();
    }
}
