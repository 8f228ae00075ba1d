package io.switchboard.turn.attack;

import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import io.switchboard.stun.StunMethod;
import io.switchboard.turn.EchoPeer;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnRestCredentials;
import io.switchboard.turn.TurnServer;
import io.switchboard.turn.fuzz.RawStun;
import io.switchboard.turn.policy.Quotas;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Floods of allocations, relay ports, permissions and channels hit their quotas with the RFC's answers (486, 508), and
 * the server keeps serving everyone else: other users allocate, Binding is answered, existing permissions and channels
 * keep relaying, and what was used comes back once the flood's allocations end.
 */
class ResourceExhaustionAttackTest {
    private static final String SECRET = "rest-secret-for-exhaustion";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void anAllocationFloodOfOneUserHitsTheUserQuotaWith486AndAnotherUserStillAllocates() {
        List<TurnClient> flood = new ArrayList<>();
        try (TurnServer server = TestServers.start(b -> b.user("bob:builder")
                .quotas(Quotas.DEFAULTS.withAllocationsPerUser(5)))) {
            for (int i = 0; i < 5; i++) {
                TurnClient client = connect(server, TestServers.USER, TestServers.PASSWORD);
                flood.add(client);
                client.allocate();
            }
            TurnClient sixth = connect(server, TestServers.USER, TestServers.PASSWORD);
            flood.add(sixth);
            assertThatThrownBy(sixth::allocate)
                    .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(486));
            try (TurnClient bob = connect(server, "bob", "builder")) {
                assertThat(bob.allocate().relayedAddress()).isNotNull();
            }
            assertThat(server.allocationCount()).as("alice's five and bob's").isEqualTo(6);
        } finally {
            flood.forEach(TurnClient::close);
        }
    }

    @Test
    void anAllocationFloodOfManyUsersHitsTheServerQuotaWith508WhileBindingIsStillAnswered() throws Exception {
        List<TurnClient> flood = new ArrayList<>();
        try (TurnServer server = TestServers.start(b -> b.authSecret(SECRET)
                .quotas(Quotas.DEFAULTS.withTotalAllocations(6)))) {
            for (int i = 0; i < 6; i++) {
                TurnClient client = rest(server, "flooder-" + i);
                flood.add(client);
                client.allocate();
            }
            TurnClient seventh = rest(server, "flooder-7");
            flood.add(seventh);
            assertThatThrownBy(seventh::allocate)
                    .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(508));
            try (RawUdp prober = new RawUdp(server.udpAddress())) {
                assertThat(prober.exchange(new RawStun(StunMethod.BINDING.request().code(), id()).bytes(), 2000))
                        .as("Binding answered at full capacity").isNotNull();
            }
            flood.get(0).refresh(Duration.ZERO);
            await().atMost(WAIT).until(() -> server.allocationCount() == 5);
            assertThat(seventh.allocate().relayedAddress()).isNotNull();
        } finally {
            flood.forEach(TurnClient::close);
        }
    }

    @Test
    void exhaustingTheRelayPortRangeGets508AndThePortsComeBackWhenTheAllocationsEnd() {
        int low = 20000 + ThreadLocalRandom.current().nextInt(0, 400) * 100;
        List<TurnClient> flood = new ArrayList<>();
        try (TurnServer server = TestServers.start(b -> b.relayPorts(low + "-" + (low + 7)))) {
            for (int i = 0; i < 8; i++) {
                TurnClient client = connect(server, TestServers.USER, TestServers.PASSWORD);
                flood.add(client);
                client.allocate();
            }
            TurnClient ninth = connect(server, TestServers.USER, TestServers.PASSWORD);
            assertThatThrownBy(ninth::allocate)
                    .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(508));
            for (TurnClient client : flood) {
                client.refresh(Duration.ZERO);
            }
            await().atMost(WAIT).until(() -> server.allocationCount() == 0);
            flood.add(ninth);
            for (int i = 0; i < 8; i++) {
                TurnClient client = i == 0 ? ninth : connect(server, TestServers.USER, TestServers.PASSWORD);
                flood.add(client);
                await().atMost(WAIT).ignoreExceptions().until(() -> client.allocate() != null);
            }
            assertThat(server.allocationCount()).isEqualTo(8);
        } finally {
            flood.forEach(TurnClient::close);
        }
    }

    @Test
    void aPermissionFloodHitsThePermissionQuotaWith508AndExistingPermissionsStillRelay() throws Exception {
        try (TurnServer server = TestServers.start(b -> b.allowPeer("127.0.0.0/8")
                .quotas(Quotas.DEFAULTS.withPermissionsPerAllocation(8)));
             EchoPeer peer = new EchoPeer();
             TurnClient client = connect(server, TestServers.USER, TestServers.PASSWORD)) {
            client.allocate();
            client.createPermission(peer.address());
            for (int i = 2; i <= 8; i++) {
                client.createPermission(new InetSocketAddress(ip(127, 0, 5, i), 9));
            }
            for (int i = 9; i <= 40; i++) {
                InetSocketAddress extra = new InetSocketAddress(ip(127, 0, 5, i), 9);
                assertThatThrownBy(() -> client.createPermission(extra))
                        .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(508));
            }
            // All or nothing: a request naming one permitted and one new peer installs neither.
            assertThatThrownBy(() -> client.createPermission(peer.address(), new InetSocketAddress(ip(127, 0, 6, 1), 9)))
                    .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(508));
            client.send(peer.address(), bytes("still relayed"));
            assertThat(client.receive(WAIT)).isPresent();
        }
    }

    @Test
    void aChannelFloodHitsTheChannelQuotaWith508AndBoundChannelsStillRelay() throws Exception {
        try (TurnServer server = TestServers.start(b -> b.allowPeer("127.0.0.0/8")
                .quotas(Quotas.DEFAULTS.withPermissionsPerAllocation(8)));
             EchoPeer peer = new EchoPeer();
             TurnClient client = connect(server, TestServers.USER, TestServers.PASSWORD)) {
            client.allocate();
            client.bindChannel(0x4000, peer.address());
            // One peer IP, many ports: the permission quota is not reached, the channel quota is.
            for (int i = 1; i < 8; i++) {
                client.bindChannel(0x4000 + i, new InetSocketAddress(peer.address().getAddress(), 1000 + i));
            }
            for (int i = 8; i < 100; i++) {
                int number = 0x4000 + i;
                InetSocketAddress extra = new InetSocketAddress(peer.address().getAddress(), 1000 + i);
                assertThatThrownBy(() -> client.bindChannel(number, extra))
                        .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(508));
            }
            client.bindChannel(0x4000, peer.address());
            client.sendChannelData(0x4000, bytes("still relayed on a channel"));
            assertThat(client.receive(WAIT)).hasValueSatisfying(data -> assertThat(data.viaChannel()).isTrue());
        }
    }

    private static TurnClient connect(TurnServer server, String user, String password) {
        return TurnClient.connect(TurnClientConfig.udp(server.udpAddress(), user, password));
    }

    private static TurnClient rest(TurnServer server, String user) {
        TurnRestCredentials credentials = TurnRestCredentials.issue(SECRET, user, Duration.ofHours(1), Clock.systemUTC());
        return connect(server, credentials.username(), credentials.password());
    }

    private static InetAddress ip(int a, int b, int c, int d) throws Exception {
        return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    private static byte[] id() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
