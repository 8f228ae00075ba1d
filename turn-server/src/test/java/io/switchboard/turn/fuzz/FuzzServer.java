package io.switchboard.turn.fuzz;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.turn.FakeClock;
import io.switchboard.turn.TurnServerConfig;
import io.switchboard.turn.policy.Quotas;
import io.switchboard.turn.server.EmbeddedTurnServer;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server the TURN fuzz targets talk to: the real handlers behind a real allocation table (small quotas so that
 * they are reached; no challenge rate limit, so that an input behaves the same whatever ran before), a fake clock the
 * fuzzer can move, and one UDP sink on 127.0.0.1 that is the only peer the policy
 * lets relays reach (everything else is denied, so no fuzzed packet ever leaves the loopback interface).
 */
final class FuzzServer implements AutoCloseable {
    final FakeClock clock = new FakeClock();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final EmbeddedTurnServer server;
    private final DatagramSocket sink;

    FuzzServer() {
        try {
            sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread drain = new Thread(this::drainSink, "fuzz-sink");
        drain.setDaemon(true);
        drain.start();
        int low = 30000 + ThreadLocalRandom.current().nextInt(0, 300) * 100;
        TurnServerConfig config = TurnServerConfig.builder()
                .bindAddress("127.0.0.1").port(0).relayPorts(low + "-" + (low + 63))
                .realm(FuzzedTurnTraffic.REALM).user(FuzzedTurnTraffic.USER + ":" + FuzzedTurnTraffic.PASSWORD)
                .denyPeer("0.0.0.0/0").denyPeer("::/0").allowPeer("127.0.0.1/32")
                .quotas(Quotas.DEFAULTS.withAllocationsPerUser(6).withTotalAllocations(8).withPermissionsPerAllocation(4))
                .ioThreads(1)
                .challengeRate(1_000_000, 1_000_000)
                .build();
        server = new EmbeddedTurnServer(config, clock, registry);
    }

    InetSocketAddress sink() {
        return (InetSocketAddress) sink.getLocalSocketAddress();
    }

    /** Moves time on and runs the expiry sweep. */
    void advance(int seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        server.sweep();
    }

    /** Waits (briefly) until the server released a buffer it was given: a slice may still be on the relay's loop. */
    static void assertReleased(ByteBuf buffer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (buffer.refCnt() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(buffer.refCnt()).as("the server released the inbound buffer").isZero();
    }

    void assertNothingEscaped() {
        if (!server.escaped().isEmpty()) {
            AssertionError error = new AssertionError("exception escaped a handler: " + server.escaped().get(0),
                    server.escaped().get(0));
            server.escaped().stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    static void release(Object message) {
        ReferenceCountUtil.release(message);
    }

    private void drainSink() {
        byte[] buffer = new byte[65536];
        while (!sink.isClosed()) {
            try {
                sink.receive(new DatagramPacket(buffer, buffer.length));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        server.close();
        sink.close();
    }
}
