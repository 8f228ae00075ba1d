package io.switchboard.turn.server;

import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.stun.ChannelNumber;
import io.switchboard.stun.Lifetime;
import io.switchboard.stun.MessageIntegrity;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.RequestedAddressFamily;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.XorPeerAddress;
import io.switchboard.stun.XorRelayedAddress;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.policy.Quotas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static io.switchboard.turn.server.AllocateHandlerTest.code;
import static org.assertj.core.api.Assertions.assertThat;

/** Refresh, CreatePermission and ChannelBind through the UDP listener handler (RFC 8656 §7.3, §9, §11). */
class PermissionAndChannelHandlerTest {
    private static final MessageType ALLOCATE = StunMethod.ALLOCATE.request();
    private static final MessageType REFRESH = StunMethod.REFRESH.request();
    private static final MessageType CREATE_PERMISSION = StunMethod.CREATE_PERMISSION.request();
    private static final MessageType CHANNEL_BIND = StunMethod.CHANNEL_BIND.request();
    private static final RequestedTransport UDP = new RequestedTransport(RequestedTransport.UDP);
    private static final XorPeerAddress PUBLIC_PEER = peer("8.8.8.8", 5000);

    private HandlerFixture fixture = new HandlerFixture(b -> b.user("bob:other"));
    private EmbeddedChannel channel = fixture.udp();

    @AfterEach
    void close() {
        assertThat(channel.finish()).as("nothing left buffered").isFalse();
        fixture.close();
    }

    @Test
    void requestsWithoutAnAllocationGet437() throws Exception {
        assertThat(code(fixture.exchange(channel, fixture.signed(REFRESH)))).isEqualTo(437);
        assertThat(code(fixture.exchange(channel, fixture.signed(CREATE_PERMISSION, PUBLIC_PEER)))).isEqualTo(437);
        assertThat(code(fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x4000), PUBLIC_PEER))))
                .isEqualTo(437);
    }

    @Test
    void requestsByAnotherUserOnTheAllocationGet441() throws Exception {
        allocate();
        assertThat(code(fixture.exchange(channel, fixture.signed(REFRESH, "bob", "other")))).isEqualTo(441);
        assertThat(code(fixture.exchange(channel, fixture.signed(CREATE_PERMISSION, "bob", "other", PUBLIC_PEER))))
                .isEqualTo(441);
    }

    @Test
    void refreshSetsTheLifetimeAndZeroDeletesTheAllocation() throws Exception {
        allocate();
        StunMessage refreshed = fixture.exchange(channel, fixture.signed(REFRESH, new Lifetime(1200)));
        assertThat(refreshed.attribute(Lifetime.class).orElseThrow().seconds()).isEqualTo(1200);
        assertThat(MessageIntegrity.verify(refreshed, fixture.key())).isTrue();
        StunMessage deleted = fixture.exchange(channel, fixture.signed(REFRESH, new Lifetime(0)));
        assertThat(deleted.attribute(Lifetime.class).orElseThrow().seconds()).isZero();
        assertThat(fixture.table.allocationCount()).isZero();
        org.awaitility.Awaitility.await().until(() -> fixture.pool.inUse() == 0);
        assertThat(code(fixture.exchange(channel, fixture.signed(REFRESH)))).isEqualTo(437);
    }

    @Test
    void refreshOfAFamilyTheAllocationLacksGets443() throws Exception {
        allocate();
        assertThat(code(fixture.exchange(channel, fixture.signed(REFRESH,
                new RequestedAddressFamily(RequestedAddressFamily.IPV6))))).isEqualTo(443);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "::1", "::ffff:127.0.0.1", "10.1.2.3", "169.254.169.254",
            "192.168.1.1", "64:ff9b::a9fe:a9fe", "fe80::1"})
    void permissionToADeniedPeerGets403(String address) throws Exception {
        allocate();
        StunMessage response = fixture.exchange(channel, fixture.signed(CREATE_PERMISSION, peer(address, 4000)));
        assertThat(code(response)).isEqualTo(403);
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "forbidden-peer")).isEqualTo(1);
    }

    @Test
    void channelBindToADeniedPeerGets403() throws Exception {
        allocate();
        assertThat(code(fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x4000),
                peer("169.254.169.254", 80))))).isEqualTo(403);
        assertThat(fixture.table.channelCount()).isZero();
    }

    @Test
    void permissionToAPublicIpv6PeerOnAnIpv4AllocationGets443() throws Exception {
        allocate();
        assertThat(code(fixture.exchange(channel, fixture.signed(CREATE_PERMISSION, peer("2606:4700::1111", 53)))))
                .isEqualTo(443);
    }

    @Test
    void createPermissionInstallsEveryPeerOfTheRequest() throws Exception {
        Allocation allocation = allocate();
        StunMessage response = fixture.exchange(channel, fixture.signed(CREATE_PERMISSION, PUBLIC_PEER,
                peer("1.1.1.1", 53), peer("9.9.9.9", 53)));
        assertThat(code(response)).isZero();
        assertThat(allocation.permissionCount()).isEqualTo(3);
        assertThat(allocation.hasPermission(InetAddress.getByName("9.9.9.9"), fixture.clock.millis())).isTrue();
    }

    @Test
    void oneDeniedPeerRefusesTheWholeCreatePermission() throws Exception {
        Allocation allocation = allocate();
        assertThat(code(fixture.exchange(channel, fixture.signed(CREATE_PERMISSION, PUBLIC_PEER, peer("10.0.0.1", 1)))))
                .isEqualTo(403);
        assertThat(allocation.permissionCount()).isZero();
    }

    @Test
    void createPermissionWithoutPeerGets400() throws Exception {
        allocate();
        assertThat(code(fixture.exchange(channel, fixture.signed(CREATE_PERMISSION)))).isEqualTo(400);
    }

    @Test
    void permissionsBeyondTheQuotaGet508() throws Exception {
        fixture.close();
        fixture = new HandlerFixture(b -> b.quotas(Quotas.DEFAULTS.withPermissionsPerAllocation(2)));
        channel.finish();
        channel = fixture.udp();
        allocate();
        assertThat(code(fixture.exchange(channel, fixture.signed(CREATE_PERMISSION, PUBLIC_PEER, peer("1.1.1.1", 1)))))
                .isZero();
        assertThat(code(fixture.exchange(channel, fixture.signed(CREATE_PERMISSION, peer("9.9.9.9", 1))))).isEqualTo(508);
    }

    @Test
    void ownRelayedAddressIsAllowedDespiteTheLoopbackDenyList() throws Exception {
        InetSocketAddress relayed = allocate().relays().get(0).relayedAddress();
        assertThat(code(fixture.exchange(channel, fixture.signed(CREATE_PERMISSION, new XorPeerAddress(relayed)))))
                .isZero();
        assertThat(code(fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x4001),
                new XorPeerAddress(relayed))))).isZero();
    }

    @Test
    void channelBindBindsAndInstallsThePermission() throws Exception {
        Allocation allocation = allocate();
        StunMessage response = fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x4000), PUBLIC_PEER));
        assertThat(code(response)).isZero();
        assertThat(allocation.channel(0x4000).peer()).isEqualTo(PUBLIC_PEER.address());
        assertThat(allocation.hasPermission(PUBLIC_PEER.address().getAddress(), fixture.clock.millis())).isTrue();
        assertThat(fixture.registry.get("switchboard.turn.channels").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void channelBindBreakingTheRebindingRulesGets400() throws Exception {
        allocate();
        fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x4000), PUBLIC_PEER));
        assertThat(code(fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x4000),
                peer("8.8.8.8", 5001))))).isEqualTo(400);
        assertThat(code(fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x4001), PUBLIC_PEER))))
                .isEqualTo(400);
        assertThat(code(fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x4000), PUBLIC_PEER))))
                .isZero();
    }

    @Test
    void channelBindOutsideTheRangeOrWithoutAttributesGets400() throws Exception {
        allocate();
        assertThat(code(fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x3FFF), PUBLIC_PEER))))
                .isEqualTo(400);
        assertThat(code(fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x8000), PUBLIC_PEER))))
                .isEqualTo(400);
        assertThat(code(fixture.exchange(channel, fixture.signed(CHANNEL_BIND, PUBLIC_PEER)))).isEqualTo(400);
        assertThat(code(fixture.exchange(channel, fixture.signed(CHANNEL_BIND, new ChannelNumber(0x4000))))).isEqualTo(400);
    }

    private Allocation allocate() throws Exception {
        StunMessage response = fixture.exchange(channel, fixture.signed(ALLOCATE, UDP));
        assertThat(response.attribute(XorRelayedAddress.class)).isPresent();
        return fixture.table.find(new io.switchboard.turn.allocation.FiveTuple(HandlerFixture.CLIENT, HandlerFixture.SERVER,
                io.switchboard.turn.allocation.Transport.UDP)).orElseThrow();
    }

    static XorPeerAddress peer(String literal, int port) {
        try {
            InetAddress parsed = InetAddress.getByName(literal);
            if (literal.contains(":") && !(parsed instanceof Inet6Address)) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
                parsed = Inet6Address.getByAddress(null, mapped, -1);
            }
            return new XorPeerAddress(new InetSocketAddress(parsed, port));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
