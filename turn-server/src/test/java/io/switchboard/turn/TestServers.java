package io.switchboard.turn;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/** Starts Switchboard's STUN/TURN server in-process on 127.0.0.1, port 0, with a random slice of relay ports. */
public final class TestServers {
    public static final String REALM = "example.org";
    public static final String USER = "alice";
    public static final String PASSWORD = "secret";

    private TestServers() {
    }

    /** A base configuration: 127.0.0.1, port 0, user alice:secret in realm example.org, two I/O threads. */
    public static TurnServerConfig.Builder config() {
        int low = 20000 + ThreadLocalRandom.current().nextInt(0, 200) * 100;
        return TurnServerConfig.builder()
                .bindAddress("127.0.0.1")
                .port(0)
                .relayPorts(low + "-" + (low + 2999))
                .realm(REALM)
                .user(USER + ":" + PASSWORD)
                .ioThreads(2);
    }

    public static TurnServer start(UnaryOperator<TurnServerConfig.Builder> customize) {
        return TurnServer.start(customize.apply(config()).build(), new SimpleMeterRegistry());
    }

    public static TurnServer start(UnaryOperator<TurnServerConfig.Builder> customize, SimpleMeterRegistry registry,
                                   Clock clock) {
        return TurnServer.start(customize.apply(config()).build(), registry, clock);
    }
}
