package io.switchboard.turn.attack;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.client.turn.AllocateOptions;
import io.switchboard.client.turn.TurnAllocation;
import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnServer;
import io.switchboard.turn.TurnServerConfig;
import io.switchboard.turn.attack.Spellings.Spelling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Relay to a denied peer, in every spelling that got through other TURN servers (loopback, "this host", IPv4-mapped,
 * IPv4-compatible, NAT64, 6to4, link-local and cloud metadata, RFC 1918, multicast), is refused on all three paths:
 * CreatePermission and ChannelBind get 403 whatever the address family, and Send indications and ChannelData never
 * leave the server, also when a permission made under a more lenient policy is still installed. The allocation is a
 * dual IPv4 + IPv6 one, so that IPv6 spellings reach the policy check rather than a family mismatch.
 */
class PeerPolicyBypassAttackTest {
    private static final Duration QUIET = Duration.ofMillis(150);
    private static SimpleMeterRegistry registry;
    private static TurnServer server;
    private static TurnClient client;
    private static UdpSink sink;

    @BeforeAll
    static void start() throws Exception {
        registry = new SimpleMeterRegistry();
        server = TestServers.start(PeerPolicyBypassAttackTest::dualStack, registry, Clock.systemUTC());
        client = TurnClient.connect(TurnClientConfig.udp(server.udpAddress(), TestServers.USER, TestServers.PASSWORD));
        TurnAllocation allocation = client.allocate(AllocateOptions.DEFAULTS.withAdditionalIpv6());
        assertThat(allocation.relayedAddresses()).hasSize(2);
        sink = new UdpSink();
    }

    private static TurnServerConfig.Builder dualStack(TurnServerConfig.Builder builder) {
        return builder.ipv6RelayAddress(Spellings.literal("::1"));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        sink.close();
    }

    static List<Spelling> denied() {
        return Spellings.denied();
    }

    @ParameterizedTest(name = "CreatePermission to {0}")
    @MethodSource("denied")
    void createPermissionToADeniedSpellingGets403(Spelling peer) {
        double before = forbidden();
        assertThatThrownBy(() -> client.createPermission(new InetSocketAddress(peer.address(), sink.port())))
                .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(403));
        assertThat(forbidden()).isEqualTo(before + 1);
    }

    @ParameterizedTest(name = "ChannelBind to {0}")
    @MethodSource("denied")
    void channelBindToADeniedSpellingGets403(Spelling peer) {
        assertThatThrownBy(() -> client.bindChannel(0x4000, new InetSocketAddress(peer.address(), sink.port())))
                .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(403));
    }

    @ParameterizedTest(name = "Send to {0}")
    @MethodSource("denied")
    void sendIndicationToADeniedSpellingIsDroppedAndNeverArrives(Spelling peer) throws Exception {
        double before = droppedTotal();
        client.send(new InetSocketAddress(peer.address(), sink.port()), bytes("to " + peer.text()));
        await().atMost(Duration.ofSeconds(5)).until(() -> droppedTotal() == before + 1);
        assertThat(sink.poll(QUIET.toMillis())).isNull();
    }

    @Test
    void permissionsAndChannelsMadeUnderALenientPolicyCarryNothingOnceTheDenyListIsBack() throws Exception {
        TurnServerConfig lenient = TestServers.config().ipv6RelayAddress(Spellings.literal("::1"))
                .allowPeer("127.0.0.0/8").allowPeer("0.0.0.0/8").allowPeer("::1/128").build();
        server.reload(lenient);
        try (TurnClient other = TurnClient.connect(TurnClientConfig.udp(server.udpAddress(), TestServers.USER,
                TestServers.PASSWORD))) {
            other.allocate(AllocateOptions.DEFAULTS.withAdditionalIpv6());
            List<InetSocketAddress> loopbacks = List.of(peer("127.0.0.1"), peer("127.0.0.2"), peer("0.0.0.0"), peer("::1"));
            int channel = 0x4100;
            for (InetSocketAddress target : loopbacks) {
                other.createPermission(target);
                other.bindChannel(channel++, target);
            }
            // The path works while the policy allows it: each spelling reaches the sink.
            for (InetSocketAddress target : loopbacks) {
                other.send(target, bytes("allowed"));
                assertThat(sink.poll(5000)).as("relayed to " + target).isNotNull();
            }
            server.reload(TestServers.config().ipv6RelayAddress(Spellings.literal("::1")).build());
            double before = forbidden();
            channel = 0x4100;
            for (InetSocketAddress target : loopbacks) {
                other.send(target, bytes("denied send"));
                other.sendChannelData(channel++, bytes("denied channel data"));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> forbidden() >= before + 2 * loopbacks.size());
            assertThat(sink.poll(QUIET.toMillis())).isNull();
        } finally {
            server.reload(TestServers.config().ipv6RelayAddress(Spellings.literal("::1")).build());
        }
    }

    private static InetSocketAddress peer(String address) {
        return new InetSocketAddress(Spellings.literal(address), sink.port());
    }

    private static double forbidden() {
        return registry.get("switchboard.turn.dropped").tag("reason", "forbidden-peer").counter().count();
    }

    private static double droppedTotal() {
        return registry.find("switchboard.turn.dropped").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
