package io.switchboard.turn.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.EvenPort;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.Lifetime;
import io.switchboard.stun.MessageIntegrity;
import io.switchboard.stun.MessageIntegritySha256;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.PasswordAlgorithm;
import io.switchboard.stun.PasswordAlgorithms;
import io.switchboard.stun.Realm;
import io.switchboard.stun.RequestedAddressFamily;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.ReservationToken;
import io.switchboard.stun.Software;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.UnknownAttribute;
import io.switchboard.stun.UnknownAttributes;
import io.switchboard.stun.Username;
import io.switchboard.stun.XorMappedAddress;
import io.switchboard.stun.XorRelayedAddress;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.policy.Quotas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Allocate through the UDP listener handler in an EmbeddedChannel (RFC 8656 §7.2, RFC 8489 §9.2.4). */
class AllocateHandlerTest {
    private static final MessageType ALLOCATE = StunMethod.ALLOCATE.request();
    private static final RequestedTransport UDP = new RequestedTransport(RequestedTransport.UDP);

    private HandlerFixture fixture = new HandlerFixture();
    private EmbeddedChannel channel = fixture.udp();

    @AfterEach
    void close() {
        assertThat(channel.finish()).as("nothing left buffered").isFalse();
        fixture.close();
    }

    @Test
    void unauthenticatedAllocateGets401WithRealmNonceAndPasswordAlgorithms() throws Exception {
        StunMessage response = fixture.exchange(channel, StunMessage.builder(ALLOCATE).add(UDP).build());
        assertThat(code(response)).isEqualTo(401);
        assertThat(response.attribute(Realm.class).orElseThrow().realm()).isEqualTo(TestServers.REALM);
        assertThat(response.attribute(Nonce.class).orElseThrow().hasNonceCookie()).isTrue();
        assertThat(response.attribute(PasswordAlgorithms.class).orElseThrow().algorithms())
                .contains(PasswordAlgorithm.MD5_ALGORITHM, PasswordAlgorithm.SHA256_ALGORITHM);
        assertThat(response.attribute(MessageIntegrity.class)).isEmpty();
        assertThat(fixture.table.allocationCount()).isZero();
    }

    @Test
    void authenticatedAllocateGetsRelayLifetimeAndMappedAddressSigned() throws Exception {
        StunMessage response = fixture.exchange(channel, fixture.signed(ALLOCATE, UDP));
        assertThat(response.type()).isEqualTo(StunMethod.ALLOCATE.successResponse());
        InetSocketAddress relayed = response.attribute(XorRelayedAddress.class).orElseThrow().address();
        assertThat(relayed.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(relayed.getPort()).isBetween(fixture.config.relayPorts().low(), fixture.config.relayPorts().high());
        assertThat(response.attribute(Lifetime.class).orElseThrow().seconds()).isEqualTo(600);
        assertThat(response.attribute(XorMappedAddress.class).orElseThrow().address()).isEqualTo(HandlerFixture.CLIENT);
        assertThat(response.attribute(Software.class).orElseThrow().description()).isEqualTo("Switchboard");
        assertThat(MessageIntegrity.verify(response, fixture.key())).isTrue();
        assertThat(fixture.table.allocationCount()).isEqualTo(1);
        assertThat(fixture.registry.get("switchboard.turn.allocations.started").counter().count()).isEqualTo(1.0);
        assertThat(fixture.registry.get("switchboard.turn.allocations").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void retransmittedAllocateGetsTheIdenticalResponse() throws Exception {
        StunMessage request = fixture.signed(ALLOCATE, UDP);
        fixture.send(channel, request.toBytes());
        fixture.send(channel, request.toBytes());
        DatagramPacket first = channel.readOutbound();
        DatagramPacket second = channel.readOutbound();
        try {
            assertThat(ByteBufUtil.getBytes(second.content())).isEqualTo(ByteBufUtil.getBytes(first.content()));
            assertThat(code(StunMessage.decode(ByteBufUtil.getBytes(first.content())))).isZero();
        } finally {
            first.release();
            second.release();
        }
        assertThat(fixture.table.allocationCount()).isEqualTo(1);
    }

    @Test
    void secondAllocateOnTheSameFiveTupleGets437() throws Exception {
        fixture.exchange(channel, fixture.signed(ALLOCATE, UDP));
        StunMessage response = fixture.exchange(channel, fixture.signed(ALLOCATE, UDP));
        assertThat(code(response)).isEqualTo(437);
        assertThat(MessageIntegrity.verify(response, fixture.key())).isTrue();
    }

    @Test
    void wrongPasswordGets401AndNoAllocation() throws Exception {
        StunMessage response = fixture.exchange(channel, fixture.signed(ALLOCATE, TestServers.USER, "wrong", UDP));
        assertThat(code(response)).isEqualTo(401);
        assertThat(fixture.table.allocationCount()).isZero();
        assertThat(fixture.counter("switchboard.turn.auth.failures", "reason", "wrong-password")).isEqualTo(1);
    }

    @Test
    void unknownUserGets401() throws Exception {
        assertThat(code(fixture.exchange(channel, fixture.signed(ALLOCATE, "mallory", "x", UDP)))).isEqualTo(401);
    }

    @Test
    void staleNonceGets438WithAFreshNonce() throws Exception {
        StunMessage request = fixture.signed(ALLOCATE, UDP);
        fixture.clock.advance(fixture.config.nonceLifetime());
        StunMessage response = fixture.exchange(channel, request);
        assertThat(code(response)).isEqualTo(438);
        String fresh = response.attribute(Nonce.class).orElseThrow().nonce();
        assertThat(fixture.context.nonces().check(fresh, HandlerFixture.CLIENT.getAddress()).name()).isEqualTo("VALID");
        assertThat(fixture.table.allocationCount()).isZero();
    }

    @Test
    void integrityWithoutUsernameRealmOrNonceGets400() throws Exception {
        StunMessage request = StunMessage.builder(ALLOCATE).add(UDP).add(new Username("alice"))
                .messageIntegrity(fixture.key()).build();
        assertThat(code(fixture.exchange(channel, request))).isEqualTo(400);
    }

    @Test
    void messageIntegritySha256WithSha256PasswordAlgorithmIsAcceptedAndEchoed() throws Exception {
        byte[] key = IntegrityKeys.longTermSha256(TestServers.USER, TestServers.REALM, TestServers.PASSWORD);
        StunMessage request = StunMessage.builder(ALLOCATE).add(UDP).add(new Username(TestServers.USER))
                .add(new Realm(TestServers.REALM)).add(new Nonce(fixture.context.nonces().issue(HandlerFixture.CLIENT.getAddress())))
                .add(Authenticator.OFFERED).add(PasswordAlgorithm.SHA256_ALGORITHM)
                .messageIntegritySha256(key).build();
        StunMessage response = fixture.exchange(channel, request);
        assertThat(code(response)).isZero();
        assertThat(MessageIntegritySha256.verify(response, key)).isTrue();
        assertThat(response.attribute(MessageIntegrity.class)).isEmpty();
    }

    @Test
    void passwordAlgorithmsOtherThanOfferedGets400() throws Exception {
        byte[] key = IntegrityKeys.longTermSha256(TestServers.USER, TestServers.REALM, TestServers.PASSWORD);
        StunMessage request = StunMessage.builder(ALLOCATE).add(UDP).add(new Username(TestServers.USER))
                .add(new Realm(TestServers.REALM)).add(new Nonce(fixture.context.nonces().issue(HandlerFixture.CLIENT.getAddress())))
                .add(new PasswordAlgorithms(java.util.List.of(PasswordAlgorithm.SHA256_ALGORITHM)))
                .add(PasswordAlgorithm.SHA256_ALGORITHM).messageIntegritySha256(key).build();
        assertThat(code(fixture.exchange(channel, request))).isEqualTo(400);
    }

    @Test
    void missingRequestedTransportGets400AndTcpGets442() throws Exception {
        assertThat(code(fixture.exchange(channel, fixture.signed(ALLOCATE)))).isEqualTo(400);
        assertThat(code(fixture.exchange(channel, fixture.signed(ALLOCATE, new RequestedTransport(RequestedTransport.TCP)))))
                .isEqualTo(442);
        assertThat(code(fixture.exchange(channel, fixture.signed(ALLOCATE, new RequestedTransport(132))))).isEqualTo(442);
    }

    @Test
    void ipv6RelayWithoutAnIpv6AddressGets440() throws Exception {
        StunMessage response = fixture.exchange(channel,
                fixture.signed(ALLOCATE, UDP, new RequestedAddressFamily(RequestedAddressFamily.IPV6)));
        assertThat(code(response)).isEqualTo(440);
        assertThat(code(fixture.exchange(channel, fixture.signed(ALLOCATE, UDP, new RequestedAddressFamily(9)))))
                .isEqualTo(440);
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420ListingIt() throws Exception {
        StunMessage response = fixture.exchange(channel,
                fixture.signed(ALLOCATE, UDP, new UnknownAttribute(0x7F01, new byte[] {1, 2, 3, 4})));
        assertThat(code(response)).isEqualTo(420);
        assertThat(response.attribute(UnknownAttributes.class).orElseThrow().types()).containsExactly(0x7F01);
    }

    @Test
    void userOverQuotaGets486() throws Exception {
        fixture.close();
        fixture = new HandlerFixture(b -> b.quotas(Quotas.DEFAULTS.withAllocationsPerUser(1)));
        channel.finish();
        channel = fixture.udp();
        fixture.exchange(channel, fixture.signed(ALLOCATE, UDP));
        EmbeddedChannel other = fixture.udp();
        org.assertj.core.api.Assertions.assertThat(code(exchangeFrom(other, new InetSocketAddress(
                InetAddress.getLoopbackAddress(), 40002), fixture.signed(ALLOCATE, UDP)))).isEqualTo(486);
        assertThat(other.finish()).isFalse();
    }

    @Test
    void lifetimeIsCappedAtAnHour() throws Exception {
        StunMessage response = fixture.exchange(channel, fixture.signed(ALLOCATE, UDP, new Lifetime(100_000)));
        assertThat(response.attribute(Lifetime.class).orElseThrow().seconds()).isEqualTo(3600);
    }

    @Test
    void evenPortWithReservationKeepsTheNextPortForTheToken() throws Exception {
        StunMessage first = fixture.exchange(channel, fixture.signed(ALLOCATE, UDP, new EvenPort(true)));
        int port = first.attribute(XorRelayedAddress.class).orElseThrow().address().getPort();
        assertThat(port % 2).isZero();
        long token = first.attribute(ReservationToken.class).orElseThrow().token();

        EmbeddedChannel other = fixture.udp();
        InetSocketAddress secondClient = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40002);
        StunMessage second = exchangeFrom(other, secondClient, fixture.signed(ALLOCATE, UDP, new ReservationToken(token)));
        assertThat(second.attribute(XorRelayedAddress.class).orElseThrow().address().getPort()).isEqualTo(port + 1);

        EmbeddedChannel third = fixture.udp();
        StunMessage reused = exchangeFrom(third, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40003),
                fixture.signed(ALLOCATE, UDP, new ReservationToken(token)));
        assertThat(code(reused)).isEqualTo(508);
        assertThat(other.finish()).isFalse();
        assertThat(third.finish()).isFalse();
    }

    @Test
    void reservationTokenWithEvenPortGets400() throws Exception {
        assertThat(code(fixture.exchange(channel,
                fixture.signed(ALLOCATE, UDP, new EvenPort(false), new ReservationToken(42))))).isEqualTo(400);
    }

    @Test
    void allocationEndsWhenItsLifetimeRunsOutAndFreesThePort() throws Exception {
        fixture.exchange(channel, fixture.signed(ALLOCATE, UDP));
        assertThat(fixture.pool.inUse()).isEqualTo(1);
        fixture.clock.advance(Duration.ofSeconds(600));
        fixture.context.sweep();
        assertThat(fixture.table.allocationCount()).isZero();
        org.awaitility.Awaitility.await().until(() -> fixture.pool.inUse() == 0);
    }

    private StunMessage exchangeFrom(EmbeddedChannel other, InetSocketAddress client, StunMessage request) throws Exception {
        io.netty.buffer.ByteBuf content = io.netty.buffer.Unpooled.wrappedBuffer(request.toBytes());
        other.writeInbound(new DatagramPacket(content, HandlerFixture.SERVER, client));
        assertThat(content.refCnt()).isZero();
        DatagramPacket packet = other.readOutbound();
        try {
            return StunMessage.decode(ByteBufUtil.getBytes(packet.content()));
        } finally {
            packet.release();
        }
    }

    static int code(StunMessage response) {
        return response.attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
    }
}
