package io.switchboard.turn;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.switchboard.client.turn.AllocateOptions;
import io.switchboard.client.turn.ReceivedData;
import io.switchboard.client.turn.TurnAllocation;
import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.Realm;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.Username;
import io.switchboard.stun.XorRelayedAddress;
import io.switchboard.turn.policy.Quotas;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The whole server over real loopback sockets, driven by the SDK's TurnClient. */
class TurnServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void relaysBothWaysOverUdpWithSendIndicationsThenAChannel() throws Exception {
        try (TurnServer server = TestServers.start(b -> b.allowPeer("127.0.0.0/8"));
             EchoPeer peer = new EchoPeer();
             TurnClient client = TurnClient.connect(udp(server))) {
            TurnAllocation allocation = client.allocate();
            client.createPermission(peer.address());
            client.send(peer.address(), bytes("via send"));
            ReceivedData echo = client.receive(WAIT).orElseThrow();
            assertThat(echo.peer()).isEqualTo(peer.address());
            assertThat(echo.channel()).isZero();
            assertThat(text(echo.data())).isEqualTo("via send");
            assertThat(peer.poll(1000).from()).isEqualTo(allocation.relayedAddress());

            client.bindChannel(0x4000, peer.address());
            client.sendChannelData(0x4000, bytes("via channel"));
            ReceivedData channelEcho = client.receive(WAIT).orElseThrow();
            assertThat(channelEcho.channel()).isEqualTo(0x4000);
            assertThat(text(channelEcho.data())).isEqualTo("via channel");
        }
    }

    @Test
    void relaysBothWaysOverTcpWithPaddedChannelData() throws Exception {
        try (TurnServer server = TestServers.start(b -> b.allowPeer("127.0.0.0/8"));
             EchoPeer peer = new EchoPeer();
             TurnClient client = TurnClient.connect(TurnClientConfig.tcp(server.tcpAddress(), TestServers.USER,
                     TestServers.PASSWORD))) {
            client.allocate();
            client.bindChannel(0x4321, peer.address());
            client.sendChannelData(0x4321, bytes("odd"));
            client.sendChannelData(0x4321, bytes("length!"));
            assertThat(text(client.receive(WAIT).orElseThrow().data())).isEqualTo("odd");
            assertThat(text(client.receive(WAIT).orElseThrow().data())).isEqualTo("length!");
            client.send(peer.address(), bytes("send over tcp"));
            ReceivedData viaChannel = client.receive(WAIT).orElseThrow();
            assertThat(viaChannel.channel()).as("bound peers answer on the channel").isEqualTo(0x4321);
        }
    }

    @Test
    void wrongPasswordGets401AndNoAllocation() throws Exception {
        try (TurnServer server = TestServers.start(b -> b);
             TurnClient client = TurnClient.connect(udp(server).withCredentials(TestServers.USER, "wrong"))) {
            assertThatThrownBy(client::allocate).isInstanceOfSatisfying(TurnClientException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(401));
            assertThat(server.allocationCount()).isZero();
        }
    }

    @Test
    void staleNonceGets438AndTheClientRecovers() throws Exception {
        FakeClock clock = new FakeClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TurnServer server = TestServers.start(b -> b.nonceLifetime(Duration.ofSeconds(60)), registry, clock);
             TurnClient client = TurnClient.connect(udp(server))) {
            client.allocate();
            clock.advance(Duration.ofSeconds(61));
            assertThat(client.refresh(Duration.ofSeconds(600))).isEqualTo(Duration.ofSeconds(600));
            assertThat(registry.get("switchboard.turn.auth.failures").tag("reason", "stale-nonce").counter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("switchboard.turn.responses").tag("code", "438").counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void allocationQuotaGives486() throws Exception {
        try (TurnServer server = TestServers.start(b -> b.quotas(Quotas.DEFAULTS.withAllocationsPerUser(2)));
             TurnClient first = TurnClient.connect(udp(server));
             TurnClient second = TurnClient.connect(udp(server));
             TurnClient third = TurnClient.connect(udp(server))) {
            first.allocate();
            second.allocate();
            assertThatThrownBy(third::allocate).isInstanceOfSatisfying(TurnClientException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(486));
            first.refresh(Duration.ZERO);
            third.allocate();
        }
    }

    @Test
    void expiryFreesTheRelayPort() throws Exception {
        FakeClock clock = new FakeClock();
        try (TurnServer server = TestServers.start(b -> b, new SimpleMeterRegistry(), clock);
             TurnClient client = TurnClient.connect(udp(server))) {
            InetSocketAddress relayed = client.allocate().relayedAddress();
            assertThatThrownBy(() -> new DatagramSocket(relayed).close()).as("the relay port is bound")
                    .isInstanceOf(java.net.BindException.class);
            clock.advance(Duration.ofSeconds(600));
            await().atMost(WAIT).until(() -> server.allocationCount() == 0);
            await().atMost(WAIT).untilAsserted(() -> new DatagramSocket(relayed).close());
        }
    }

    @Test
    void secondAllocateOnTheSameFiveTupleGets437() throws Exception {
        try (TurnServer server = TestServers.start(b -> b);
             TurnClient client = TurnClient.connect(udp(server))) {
            client.allocate();
            assertThatThrownBy(client::allocate).isInstanceOfSatisfying(TurnClientException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(437));
            assertThat(server.allocationCount()).isEqualTo(1);
        }
    }

    @Test
    void retransmittedAllocateGetsTheIdenticalResponse() throws Exception {
        try (TurnServer server = TestServers.start(b -> b);
             DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5000);
            StunMessage challenge = exchange(socket, server.udpAddress(), StunMessage.builder(StunMethod.ALLOCATE.request())
                    .add(new RequestedTransport(RequestedTransport.UDP)).build().toBytes());
            String nonce = challenge.attribute(Nonce.class).orElseThrow().nonce();
            byte[] allocate = StunMessage.builder(StunMethod.ALLOCATE.request())
                    .add(new RequestedTransport(RequestedTransport.UDP)).add(new Username(TestServers.USER))
                    .add(new Realm(TestServers.REALM)).add(new Nonce(nonce))
                    .messageIntegrity(IntegrityKeys.longTermMd5(TestServers.USER, TestServers.REALM, TestServers.PASSWORD))
                    .build().toBytes();
            byte[] first = exchangeBytes(socket, server.udpAddress(), allocate);
            byte[] second = exchangeBytes(socket, server.udpAddress(), allocate);
            assertThat(second).isEqualTo(first);
            assertThat(StunMessage.decode(first).attribute(XorRelayedAddress.class)).isPresent();
            assertThat(server.allocationCount()).isEqualTo(1);
        }
    }

    @Test
    void peersOfTheDefaultDenyListGet403AndNothingReachesThem() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TurnServer server = TestServers.start(b -> b, registry, java.time.Clock.systemUTC());
             EchoPeer peer = new EchoPeer();
             TurnClient client = TurnClient.connect(udp(server))) {
            client.allocate();
            for (String address : List.of("127.0.0.1", "0.0.0.0", "::1", "::ffff:127.0.0.1", "10.1.2.3", "169.254.169.254")) {
                InetSocketAddress target = new InetSocketAddress(literal(address), 3478);
                assertThatThrownBy(() -> client.createPermission(target)).as(address)
                        .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(403));
                assertThatThrownBy(() -> client.bindChannel(0x4000, target)).as(address)
                        .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(403));
            }
            client.send(peer.address(), bytes("must not arrive"));
            assertThat(peer.poll(300)).isNull();
            await().atMost(WAIT).until(() -> registry.get("switchboard.turn.dropped").tag("reason", "no-permission")
                    .counter().count() == 1.0);
        }
    }

    @Test
    void twoAllocationsOfThisServerReachEachOtherUnderTheSecureDefaults() throws Exception {
        try (TurnServer server = TestServers.start(b -> b);
             TurnClient alice = TurnClient.connect(udp(server));
             TurnClient bob = TurnClient.connect(TurnClientConfig.tcp(server.tcpAddress(), TestServers.USER,
                     TestServers.PASSWORD))) {
            InetSocketAddress aliceRelay = alice.allocate().relayedAddress();
            InetSocketAddress bobRelay = bob.allocate().relayedAddress();
            alice.createPermission(bobRelay);
            bob.createPermission(aliceRelay);
            alice.send(bobRelay, bytes("hi bob"));
            ReceivedData atBob = bob.receive(WAIT).orElseThrow();
            assertThat(atBob.peer()).isEqualTo(aliceRelay);
            assertThat(text(atBob.data())).isEqualTo("hi bob");

            bob.bindChannel(0x4001, aliceRelay);
            alice.bindChannel(0x4002, bobRelay);
            bob.sendChannelData(0x4001, bytes("hi alice"));
            ReceivedData atAlice = alice.receive(WAIT).orElseThrow();
            assertThat(atAlice.channel()).isEqualTo(0x4002);
            assertThat(text(atAlice.data())).isEqualTo("hi alice");
        }
    }

    @Test
    void messageIntegritySha256ClientAllocatesAndRelays() throws Exception {
        try (TurnServer server = TestServers.start(b -> b.allowPeer("127.0.0.0/8"));
             EchoPeer peer = new EchoPeer();
             TurnClient client = TurnClient.connect(udp(server).withSha256())) {
            client.allocate();
            client.createPermission(peer.address());
            client.send(peer.address(), bytes("sha256"));
            assertThat(text(client.receive(WAIT).orElseThrow().data())).isEqualTo("sha256");
        }
    }

    @Test
    void restCredentialsWorkUntilTheyExpireAndAcrossASecretRotation() throws Exception {
        FakeClock clock = new FakeClock();
        try (TurnServer server = TestServers.start(b -> b.authSecret("old"), new SimpleMeterRegistry(), clock)) {
            TurnRestCredentials oldCredentials = TurnRestCredentials.issue("old", "carol", Duration.ofSeconds(120), clock);
            assertAllocates(server, oldCredentials);

            server.reload(server.config().toBuilder().authSecret("new").build());
            TurnRestCredentials newCredentials = TurnRestCredentials.issue("new", "carol", Duration.ofSeconds(120), clock);
            assertAllocates(server, newCredentials);
            assertAllocates(server, oldCredentials);

            server.reload(TestServers.config().authSecret("new").build());
            assertRefused(server, oldCredentials, 401);
            clock.advance(Duration.ofSeconds(121));
            assertRefused(server, newCredentials, 401);
        }
    }

    @Test
    void reloadedUsersTakeEffectForTheNextRequest() throws Exception {
        try (TurnServer server = TestServers.start(b -> b)) {
            server.reload(TestServers.config().user("dave:pw").build().policy());
            try (TurnClient dave = TurnClient.connect(udp(server).withCredentials("dave", "pw"))) {
                dave.allocate();
            }
        }
    }

    @Test
    void allocatesIpv6AndDualRelaysAndRelaysToAnIpv6Peer() throws Exception {
        InetAddress loopback6 = InetAddress.getByName("::1");
        try (TurnServer server = TestServers.start(b -> b.ipv6RelayAddress(loopback6).allowPeer("::1/128"));
             EchoPeer peer = new EchoPeer(loopback6);
             TurnClient client = TurnClient.connect(udp(server))) {
            TurnAllocation allocation = client.allocate(AllocateOptions.DEFAULTS.withAdditionalIpv6());
            assertThat(allocation.relayedAddresses()).hasSize(2);
            assertThat(allocation.relayedAddresses().get(0).getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(allocation.relayedAddresses().get(1).getAddress()).isEqualTo(loopback6);
            client.createPermission(peer.address());
            client.send(peer.address(), bytes("v6"));
            assertThat(peer.poll(5000).from()).isEqualTo(allocation.relayedAddresses().get(1));
            assertThat(text(client.receive(WAIT).orElseThrow().data())).isEqualTo("v6");
        }
        try (TurnServer server = TestServers.start(b -> b.ipv6RelayAddress(loopback6));
             TurnClient client = TurnClient.connect(udp(server))) {
            TurnAllocation allocation = client.allocate(AllocateOptions.DEFAULTS.withIpv6());
            assertThat(allocation.relayedAddresses()).hasSize(1);
            assertThat(allocation.relayedAddress().getAddress()).isInstanceOf(Inet6Address.class);
        }
    }

    @Test
    void allocatesOverTlsWithASelfSignedCertificate() throws Exception {
        SslContext serverTls = SelfSignedTls.serverContext("turn.example.org");
        SslContext clientTls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        try (TurnServer server = TestServers.start(b -> b.sslContext(serverTls).tlsPort(0).allowPeer("127.0.0.0/8"));
             EchoPeer peer = new EchoPeer();
             TurnClient client = TurnClient.connect(TurnClientConfig.tls(server.tlsAddress().orElseThrow(),
                     TestServers.USER, TestServers.PASSWORD, clientTls))) {
            assertThat(server.listeners()).extracting(BoundListener::name).contains("turn-udp", "turn-tcp", "turns");
            client.allocate();
            client.bindChannel(0x4000, peer.address());
            client.sendChannelData(0x4000, bytes("over tls"));
            assertThat(text(client.receive(WAIT).orElseThrow().data())).isEqualTo("over tls");
        }
    }

    @Test
    void metricsCountAllocationsAndRelayedPacketsInBothDirections() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TurnServer server = TestServers.start(b -> b.allowPeer("127.0.0.0/8"), registry, java.time.Clock.systemUTC());
             EchoPeer peer = new EchoPeer();
             TurnClient client = TurnClient.connect(udp(server))) {
            client.allocate();
            client.createPermission(peer.address());
            for (int i = 0; i < 3; i++) {
                client.send(peer.address(), bytes("12345"));
                client.receive(WAIT).orElseThrow();
            }
            assertThat(registry.get("switchboard.turn.allocations").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("switchboard.turn.permissions").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("switchboard.turn.relayed.packets").tag("direction", "to-peer").counter().count())
                    .isEqualTo(3.0);
            assertThat(registry.get("switchboard.turn.relayed.bytes").tag("direction", "to-client").counter().count())
                    .isEqualTo(15.0);
            assertThat(registry.get("switchboard.turn.requests").tag("method", "allocate").counter().count())
                    .isEqualTo(2.0);
            client.refresh(Duration.ZERO);
            assertThat(registry.get("switchboard.turn.allocations").gauge().value()).isZero();
        }
    }

    private static void assertAllocates(TurnServer server, TurnRestCredentials credentials) {
        try (TurnClient client = TurnClient.connect(udp(server).withCredentials(credentials.username(),
                credentials.password()))) {
            client.allocate();
            client.refresh(Duration.ZERO);
        }
    }

    private static void assertRefused(TurnServer server, TurnRestCredentials credentials, int code) {
        try (TurnClient client = TurnClient.connect(udp(server).withCredentials(credentials.username(),
                credentials.password()))) {
            assertThatThrownBy(client::allocate).isInstanceOfSatisfying(TurnClientException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(code));
        }
    }

    static TurnClientConfig udp(TurnServer server) {
        return TurnClientConfig.udp(server.udpAddress(), TestServers.USER, TestServers.PASSWORD);
    }

    private static StunMessage exchange(DatagramSocket socket, InetSocketAddress server, byte[] request) throws Exception {
        return StunMessage.decode(exchangeBytes(socket, server, request));
    }

    private static byte[] exchangeBytes(DatagramSocket socket, InetSocketAddress server, byte[] request) throws Exception {
        socket.send(new DatagramPacket(request, request.length, server));
        DatagramPacket response = new DatagramPacket(new byte[2048], 2048);
        socket.receive(response);
        return Arrays.copyOfRange(response.getData(), 0, response.getLength());
    }

    private static InetAddress literal(String text) throws Exception {
        InetAddress parsed = InetAddress.getByName(text);
        if (text.contains(":") && !(parsed instanceof Inet6Address)) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
            return Inet6Address.getByAddress(null, mapped, -1);
        }
        return parsed;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
