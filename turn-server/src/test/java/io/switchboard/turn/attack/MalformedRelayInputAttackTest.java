package io.switchboard.turn.attack;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.stun.AttributeType;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.StunMethod;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnServer;
import io.switchboard.turn.fuzz.RawStun;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Broken data on the relay's fast path, from a client that holds an allocation: the Send indication reader works on
 * the raw buffer, so an attribute that claims less than an address must be refused before it is read. Found by
 * {@code TurnDatagramFuzzTest}: a Send indication ending in an empty XOR-PEER-ADDRESS made the reader read past the
 * datagram (over TCP that exception closed the client's own connection and allocation). Now it is dropped and counted.
 */
class MalformedRelayInputAttackTest {
    @Test
    void aSendIndicationEndingInAnEmptyXorPeerAddressIsDroppedAsMalformedOverUdpAndTcp() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TurnServer server = TestServers.start(b -> b, registry, Clock.systemUTC())) {
            for (boolean udp : new boolean[] {true, false}) {
                try (RawTurnSession client = udp ? RawTurnSession.udp(server.udpAddress())
                        : RawTurnSession.tcp(server.tcpAddress())) {
                    byte[] allocated = client.request(StunMethod.ALLOCATE,
                            m -> m.attribute(AttributeType.REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0}));
                    assertThat(RawTurnSession.decode(allocated).attribute(ErrorCode.class)).isEmpty();
                    double malformed = dropped(registry, "malformed");
                    for (byte[] broken : new byte[][] {
                            send().attribute(AttributeType.DATA, new byte[0]).attribute(AttributeType.XOR_PEER_ADDRESS,
                                    new byte[0]).bytes(),
                            send().attribute(AttributeType.DATA, new byte[4]).attribute(AttributeType.XOR_PEER_ADDRESS,
                                    new byte[] {0, 1}).bytes(),
                            send().attribute(AttributeType.XOR_PEER_ADDRESS, new byte[] {0, 2, 0, 0, 1, 2, 3, 4})
                                    .attribute(AttributeType.DATA, new byte[1]).bytes()}) {
                        client.write(broken);
                    }
                    await().atMost(Duration.ofSeconds(5)).until(() -> dropped(registry, "malformed") == malformed + 3);
                    assertThat(dropped(registry, "send-failed")).as("no exception in the relay path").isZero();
                    // The connection and the allocation survive: a Refresh still works on them.
                    byte[] refreshed = client.request(StunMethod.REFRESH,
                            m -> m.attribute(AttributeType.LIFETIME, new byte[] {0, 0, 2, 0x58}));
                    assertThat(RawTurnSession.decode(refreshed).attribute(ErrorCode.class)).isEmpty();
                }
            }
        }
    }

    private static RawStun send() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return new RawStun(StunMethod.SEND.indication().code(), id);
    }

    private static double dropped(SimpleMeterRegistry registry, String reason) {
        return registry.get("switchboard.turn.dropped").tag("reason", reason).counter().count();
    }
}
