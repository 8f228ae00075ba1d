package io.switchboard.turn.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.stun.AttributeType;
import io.switchboard.stun.ChangeRequest;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.Fingerprint;
import io.switchboard.stun.MappedAddress;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.OtherAddress;
import io.switchboard.stun.ResponseOrigin;
import io.switchboard.stun.ResponsePort;
import io.switchboard.stun.Software;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.UnknownAttributes;
import io.switchboard.stun.XorMappedAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Binding requests through the UDP listener handler in an EmbeddedChannel (RFC 8489 §6.3, RFC 5780 §6). */
class BindingHandlerTest {
    private final HandlerFixture fixture = new HandlerFixture();
    private final EmbeddedChannel channel = fixture.udp();

    @AfterEach
    void close() {
        assertThat(channel.finish()).as("nothing left buffered").isFalse();
        fixture.close();
    }

    @Test
    void answersWithXorMappedAddressOfTheSourceWithoutAuthentication() throws Exception {
        StunMessage response = fixture.exchange(channel, StunMessage.builder(MessageType.BINDING_REQUEST).build());
        assertThat(response.type()).isEqualTo(MessageType.BINDING_SUCCESS);
        assertThat(response.attribute(XorMappedAddress.class).orElseThrow().address()).isEqualTo(HandlerFixture.CLIENT);
        assertThat(response.attribute(Fingerprint.class)).isEmpty();
        assertThat(response.attribute(Software.class)).isEmpty();
    }

    @Test
    void addsFingerprintWhenTheRequestHadOne() throws Exception {
        StunMessage response = fixture.exchange(channel,
                StunMessage.builder(MessageType.BINDING_REQUEST).fingerprint().build());
        assertThat(Fingerprint.verify(response)).isTrue();
    }

    @Test
    void answersClassicRfc3489RequestWithMappedAddress() throws Exception {
        byte[] classic = new byte[20];
        classic[1] = 0x01;
        for (int i = 4; i < 20; i++) {
            classic[i] = (byte) (i * 7);
        }
        fixture.send(channel, classic);
        DatagramPacket packet = channel.readOutbound();
        try {
            StunMessage response = StunMessage.decode(ByteBufUtil.getBytes(packet.content()));
            assertThat(response.isClassic()).isTrue();
            assertThat(response.attribute(MappedAddress.class).orElseThrow().address()).isEqualTo(HandlerFixture.CLIENT);
            assertThat(response.attribute(XorMappedAddress.class)).isEmpty();
            assertThat(response.transactionId().toBytes()).isEqualTo(java.util.Arrays.copyOfRange(classic, 4, 20));
        } finally {
            packet.release();
        }
    }

    @Test
    void refusesChangeRequestWith420WhenNatDiscoveryIsOff() throws Exception {
        StunMessage response = fixture.exchange(channel, StunMessage.builder(MessageType.BINDING_REQUEST)
                .add(new ChangeRequest(true, true)).add(new ResponsePort(4000)).build());
        assertThat(response.messageClass()).isEqualTo(MessageClass.ERROR_RESPONSE);
        assertThat(response.attribute(ErrorCode.class).orElseThrow().code()).isEqualTo(420);
        assertThat(response.attribute(UnknownAttributes.class).orElseThrow().types())
                .containsExactly(AttributeType.CHANGE_REQUEST, AttributeType.RESPONSE_PORT);
    }

    @Test
    void bindingIndicationIsAKeepaliveWithoutAnswer() {
        fixture.send(channel, StunMessage.builder(MessageType.BINDING_INDICATION).build().toBytes());
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    @Test
    void changeRequestSendsTheResponseFromTheAlternateSocket() throws Exception {
        InetSocketAddress[] addresses = {
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 3478),
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 3479),
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 3478),
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 3479)};
        EmbeddedChannel[] sockets = new EmbeddedChannel[4];
        NatSockets nat = new NatSockets();
        for (int i = 0; i < 4; i++) {
            sockets[i] = new EmbeddedChannel(new UdpListenerHandler(fixture.context, fixture.dispatcher, i));
            nat.set(i, sockets[i], addresses[i]);
        }
        fixture.context.natSockets(nat);
        try {
            fixture.send(sockets[0], StunMessage.builder(MessageType.BINDING_REQUEST)
                    .add(new ChangeRequest(true, false)).add(new ResponsePort(5555)).build().toBytes());
            assertThat(sockets[0].<Object>readOutbound()).isNull();
            StunMessage response = fixture.drainResponses(sockets[NatSockets.ALTERNATE_IP]).get(0);
            assertThat(response.attribute(ResponseOrigin.class).orElseThrow().address()).isEqualTo(addresses[2]);
            assertThat(response.attribute(OtherAddress.class).orElseThrow().address()).isEqualTo(addresses[3]);
            assertThat(response.attribute(XorMappedAddress.class).orElseThrow().address()).isEqualTo(HandlerFixture.CLIENT);

            fixture.send(sockets[3], StunMessage.builder(MessageType.BINDING_REQUEST).build().toBytes());
            StunMessage plain = fixture.drainResponses(sockets[3]).get(0);
            assertThat(plain.attribute(ResponseOrigin.class).orElseThrow().address()).isEqualTo(addresses[3]);
            assertThat(plain.attribute(OtherAddress.class).orElseThrow().address()).isEqualTo(addresses[0]);
        } finally {
            for (EmbeddedChannel socket : sockets) {
                assertThat(socket.finish()).isFalse();
            }
        }
    }

    @Test
    void responsePortRedirectsTheAnswerToAnotherPortOfTheSameIp() throws Exception {
        EmbeddedChannel[] sockets = new EmbeddedChannel[4];
        NatSockets nat = new NatSockets();
        for (int i = 0; i < 4; i++) {
            sockets[i] = new EmbeddedChannel(new UdpListenerHandler(fixture.context, fixture.dispatcher, i));
            nat.set(i, sockets[i], new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478 + i));
        }
        fixture.context.natSockets(nat);
        fixture.send(sockets[0], StunMessage.builder(MessageType.BINDING_REQUEST).add(new ResponsePort(5555)).build().toBytes());
        DatagramPacket packet = sockets[0].readOutbound();
        assertThat(packet.recipient()).isEqualTo(new InetSocketAddress(HandlerFixture.CLIENT.getAddress(), 5555));
        packet.release();
        for (EmbeddedChannel socket : sockets) {
            assertThat(socket.finish()).isFalse();
        }
    }
}
