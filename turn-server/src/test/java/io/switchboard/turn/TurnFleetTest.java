package io.switchboard.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.client.turn.ReceivedData;
import io.switchboard.client.turn.TurnAllocation;
import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import io.switchboard.stun.AlternateServer;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.MessageIntegrity;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several TURN servers as one fleet: shared REST secrets and nonce secret let a client move between them, and a
 * draining or loaded server sends new allocations to another with 300 Try Alternate (RFC 8489 §10).
 */
class TurnFleetTest {
    private static final String NONCE_SECRET = "fleet-nonce-secret-0123456789";
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private record Node(TurnServer server, SimpleMeterRegistry registry) {
        double counter(String name, String tag, String value) {
            var counter = registry.find(name).tag(tag, value).counter();
            return counter == null ? 0 : counter.count();
        }
    }

    private Node node(UnaryOperator<TurnServerConfig.Builder> customize) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TurnServer server = TestServers.start(b -> customize.apply(b.allowPeer("127.0.0.0/8")), registry, Clock.systemUTC());
        open.add(server);
        return new Node(server, registry);
    }

    private TurnClient client(TurnClientConfig config) {
        TurnClient client = TurnClient.connect(config);
        open.add(client);
        return client;
    }

    private static TurnClientConfig udp(Node node) {
        return TurnClientConfig.udp(node.server().udpAddress(), TestServers.USER, TestServers.PASSWORD);
    }

    @Test
    void aDrainingServerAnswersAllocateWithATryAlternateNamingAServerOfTheClientsFamilySignedForTheClient() {
        Node b = node(x -> x);
        Node a = node(x -> x.alternateServer("[::1]:3478").alternateServer(b.server().udpAddress()));
        a.server().drain();
        TurnClient client = client(udp(a));
        StunMessage response = client.exchange(StunMethod.ALLOCATE.request(),
                List.of(new RequestedTransport(RequestedTransport.UDP)));
        assertThat(response.attribute(ErrorCode.class).map(ErrorCode::code)).contains(ErrorCode.TRY_ALTERNATE);
        assertThat(response.attribute(AlternateServer.class).map(AlternateServer::address))
                .as("the IPv4 alternate for an IPv4 client").contains(b.server().udpAddress());
        assertThat(response.attribute(MessageIntegrity.class)).as("signed with the client's key").isPresent();
        assertThat(a.server().allocationCount()).isZero();
        assertThat(a.counter("switchboard.turn.redirects", "reason", "draining")).isEqualTo(1.0);
        assertThat(a.counter("switchboard.turn.responses", "code", "300")).isEqualTo(1.0);
    }

    @Test
    void theJavaClientFollowsTryAlternateOverUdpAndTcpAndRelaysThroughTheAlternate() throws Exception {
        Node b = node(x -> x);
        Node a = node(x -> x.alternateServer(b.server().udpAddress()));
        a.server().drain();
        try (EchoPeer peer = new EchoPeer()) {
            for (TurnClientConfig config : List.of(udp(a),
                    TurnClientConfig.tcp(a.server().tcpAddress(), TestServers.USER, TestServers.PASSWORD))) {
                TurnClient client = client(config);
                TurnAllocation allocation = client.allocate();
                assertThat(client.server()).as(config.transport() + " client moved").isEqualTo(b.server().udpAddress());
                assertThat(allocation.relayedAddresses()).isNotEmpty();
                client.createPermission(peer.address());
                client.send(peer.address(), "via the alternate".getBytes(StandardCharsets.UTF_8));
                ReceivedData echo = client.receive(Duration.ofSeconds(5)).orElseThrow();
                assertThat(new String(echo.data(), StandardCharsets.UTF_8)).isEqualTo("via the alternate");
            }
        }
        assertThat(a.server().allocationCount()).isZero();
        assertThat(b.server().allocationCount()).isEqualTo(2);
        assertThat(a.counter("switchboard.turn.redirects", "reason", "draining")).isEqualTo(2.0);
    }

    @Test
    void aLoadedServerRedirectsNewAllocationsFromItsThresholdOnAndKeepsServingThoseItHolds() {
        Node b = node(x -> x);
        Node a = node(x -> x.alternateServer(b.server().udpAddress()).redirectThreshold(1));
        TurnClient first = client(udp(a));
        first.allocate();
        TurnClient second = client(udp(a));
        second.allocate();
        assertThat(first.server()).isEqualTo(a.server().udpAddress());
        assertThat(second.server()).isEqualTo(b.server().udpAddress());
        assertThat(first.refresh(Duration.ofMinutes(10))).as("refreshes are never redirected").isPositive();
        assertThat(a.counter("switchboard.turn.redirects", "reason", "load")).isEqualTo(1.0);
        assertThat(a.server().allocationCount()).isEqualTo(1);
    }

    @Test
    void aDrainingServerWithoutAnAlternateRefusesNewAllocationsWith508() {
        Node a = node(x -> x);
        a.server().drain();
        assertThat(a.server().draining()).isTrue();
        TurnClient client = client(udp(a));
        assertThatThrownBy(client::allocate).isInstanceOf(TurnClientException.class)
                .satisfies(e -> assertThat(((TurnClientException) e).errorCode()).isEqualTo(ErrorCode.INSUFFICIENT_CAPACITY));
    }

    @Test
    void serversSharingANonceSecretAcceptEachOthersNoncesSoAMovingClientNeedsNoNewChallenge() {
        Node b = node(x -> x.nonceSecret(NONCE_SECRET));
        Node a = node(x -> x.nonceSecret(NONCE_SECRET).alternateServer(b.server().udpAddress()));
        a.server().drain();
        client(udp(a)).allocate();
        assertThat(b.server().allocationCount()).isEqualTo(1);
        assertThat(b.counter("switchboard.turn.responses", "code", "401")).as("no challenge at b").isZero();
        assertThat(b.counter("switchboard.turn.responses", "code", "438")).as("a's nonce is good at b").isZero();

        Node lone = node(x -> x);
        Node c = node(x -> x.nonceSecret(NONCE_SECRET).alternateServer(lone.server().udpAddress()));
        c.server().drain();
        client(udp(c)).allocate();
        assertThat(lone.counter("switchboard.turn.auth.failures", "reason", "stale-nonce"))
                .as("without the shared secret the nonce is stale there").isEqualTo(1.0);
        assertThat(lone.server().allocationCount()).isEqualTo(1);
    }

    @Test
    void serversGivenTheSameRestSecretsAcceptTheSameCredentialsWhileASecretIsRotated() {
        Node a = node(x -> x.authSecret("rotated-in-secret").authSecret("rotated-out-secret"));
        Node b = node(x -> x.authSecret("rotated-out-secret").authSecret("rotated-in-secret"));
        for (String secret : List.of("rotated-in-secret", "rotated-out-secret")) {
            TurnRestCredentials credentials = TurnRestCredentials.issue(secret, "bob", Duration.ofHours(1), Clock.systemUTC());
            for (Node node : List.of(a, b)) {
                TurnClient client = client(TurnClientConfig.udp(node.server().udpAddress(), credentials.username(),
                        credentials.password()));
                assertThat(client.allocate().relayedAddresses()).isNotEmpty();
            }
        }
        TurnRestCredentials foreign = TurnRestCredentials.issue("another-fleet", "bob", Duration.ofHours(1), Clock.systemUTC());
        TurnClient refused = client(TurnClientConfig.udp(a.server().udpAddress(), foreign.username(), foreign.password()));
        assertThatThrownBy(refused::allocate).isInstanceOf(TurnClientException.class)
                .satisfies(e -> assertThat(((TurnClientException) e).errorCode()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }

    @Test
    void fleetOptionsAreCheckedAndNameTheirOption() {
        assertThatThrownBy(() -> TestServers.config().nonceSecret("short").build())
                .hasMessageStartingWith("--nonce-secret");
        assertThatThrownBy(() -> TestServers.config().alternateServer("not-an-ip:3478").build())
                .hasMessageStartingWith("--alternate-server");
        assertThatThrownBy(() -> TestServers.config().alternateServer("192.0.2.1:70000").build())
                .hasMessageStartingWith("--alternate-server");
        assertThatThrownBy(() -> TestServers.config().port(3478).alternateServer("127.0.0.1:3478").build())
                .hasMessageContaining("this server itself");
        assertThatThrownBy(() -> TestServers.config().redirectThreshold(-1).build())
                .hasMessageStartingWith("--redirect-threshold");
        TurnServerConfig config = TestServers.config().alternateServer("192.0.2.7").alternateServer("[2001:db8::7]:3479")
                .nonceSecret(NONCE_SECRET).build();
        assertThat(config.alternateServers()).containsExactly(new InetSocketAddress("192.0.2.7", 3478),
                new InetSocketAddress("2001:db8::7", 3479));
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }
}
