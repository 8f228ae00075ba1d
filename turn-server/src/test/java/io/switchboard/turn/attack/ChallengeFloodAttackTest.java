package io.switchboard.turn.attack;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.stun.AttributeType;
import io.switchboard.stun.StunMethod;
import io.switchboard.turn.EchoPeer;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnServer;
import io.switchboard.turn.fuzz.RawStun;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 401 rate limit under a spoofed-source flood. Sources are real sockets on many 127.x.y.z addresses and ports, the
 * way a forged flood looks to the server: one victim address, however many ports the attacker forges, receives no more
 * challenges than its budget (burst plus rate times duration), many forged addresses each get only their own budget,
 * and meanwhile a real client is served.
 */
class ChallengeFloodAttackTest {
    private static final int RATE = 10;
    private static final int BURST = 20;

    @Test
    void aVictimAddressReceivesNoMoreChallengesThanItsBudgetWhateverPortsAreForged() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TurnServer server = TestServers.start(b -> b.challengeRate(RATE, BURST), registry, Clock.systemUTC())) {
            InetAddress victim = InetAddress.getByName("127.0.0.9");
            List<RawUdp> ports = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    ports.add(new RawUdp(victim, server.udpAddress()));
                }
                long start = System.nanoTime();
                for (int round = 0; round < 20; round++) {
                    for (RawUdp port : ports) {
                        port.send(allocate());
                    }
                }
                int challenges = 0;
                for (RawUdp port : ports) {
                    challenges += port.drain(50).size();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(challenges).as("401s to one address for 1000 requests in %.2f s", seconds)
                        .isBetween(BURST / 2, BURST + (int) Math.ceil(RATE * seconds) + 1);
                assertThat(registry.get("switchboard.turn.dropped").tag("reason", "rate-limited").counter().count())
                        .isGreaterThanOrEqualTo(1000 - challenges);
            } finally {
                ports.forEach(RawUdp::close);
            }
        }
    }

    @Test
    void manyForgedAddressesEachGetOnlyTheirOwnBudgetAndARealClientIsServedMeanwhile() throws Exception {
        try (TurnServer server = TestServers.start(b -> b.challengeRate(RATE, BURST).allowPeer("127.0.0.0/8"));
             EchoPeer peer = new EchoPeer()) {
            List<RawUdp> sources = new ArrayList<>();
            try {
                for (int i = 1; i <= 200; i++) {
                    sources.add(new RawUdp(InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 250), (byte) (i % 250 + 1)}),
                            server.udpAddress()));
                }
                Thread flood = new Thread(() -> {
                    try {
                        for (int round = 0; round < 40; round++) {
                            for (RawUdp source : sources) {
                                source.send(allocate());
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "forged-flood");
                long start = System.nanoTime();
                flood.start();
                try (TurnClient client = TurnClient.connect(TurnClientConfig.udp(server.udpAddress(), TestServers.USER,
                        TestServers.PASSWORD))) {
                    client.allocate();
                    client.createPermission(peer.address());
                    client.send(peer.address(), "served during the flood".getBytes(StandardCharsets.UTF_8));
                    assertThat(client.receive(Duration.ofSeconds(10))).as("echo through the relay").isPresent();
                }
                flood.join();
                double seconds = (System.nanoTime() - start) / 1e9;
                int ceiling = BURST + (int) Math.ceil(RATE * seconds) + 1;
                for (RawUdp source : sources) {
                    assertThat(source.drain(20).size()).as("401s to " + source.localAddress()).isLessThanOrEqualTo(ceiling);
                }
            } finally {
                sources.forEach(RawUdp::close);
            }
        }
    }

    private static byte[] allocate() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return new RawStun(StunMethod.ALLOCATE.request().code(), id)
                .attribute(AttributeType.REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0}).bytes();
    }
}
