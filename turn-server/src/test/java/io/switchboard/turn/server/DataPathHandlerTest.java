package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.stun.ChannelNumber;
import io.switchboard.stun.Data;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.XorPeerAddress;
import io.switchboard.stun.XorRelayedAddress;
import io.switchboard.turn.TurnPolicy;
import io.switchboard.turn.policy.PeerAddressPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.switchboard.turn.server.AllocateHandlerTest.code;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client-to-peer relaying through the listener handlers (RFC 8656 §10.2 Send, §12.6 ChannelData): the peer is a real
 * UDP socket on 127.0.0.1, reached from the relay socket; refused data is dropped and counted.
 */
class DataPathHandlerTest {
    private static final MessageType ALLOCATE = StunMethod.ALLOCATE.request();
    private static final RequestedTransport UDP = new RequestedTransport(RequestedTransport.UDP);

    private final HandlerFixture fixture = new HandlerFixture(b -> b.allowPeer("127.0.0.0/8"));
    private final DatagramSocket peer;
    private final XorPeerAddress peerAddress;

    DataPathHandlerTest() throws Exception {
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(2000);
        peerAddress = new XorPeerAddress((InetSocketAddress) peer.getLocalSocketAddress());
    }

    @AfterEach
    void close() {
        peer.close();
        fixture.close();
    }

    @Test
    void sendIndicationReachesThePeerFromTheRelayedAddress() throws Exception {
        EmbeddedChannel channel = fixture.udp();
        InetSocketAddress relayed = allocate(channel);
        fixture.exchange(channel, fixture.signed(StunMethod.CREATE_PERMISSION.request(), peerAddress));
        fixture.send(channel, sendIndication("hello peer"));
        channel.runPendingTasks();
        DatagramPacket received = receive();
        assertThat(text(received)).isEqualTo("hello peer");
        assertThat(received.getSocketAddress()).isEqualTo(relayed);
        assertThat(fixture.counter("switchboard.turn.relayed.packets", "direction", "to-peer")).isEqualTo(1);
        assertThat(fixture.counter("switchboard.turn.relayed.bytes", "direction", "to-peer")).isEqualTo(10);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void sendIndicationWithoutPermissionIsDroppedAndCounted() throws Exception {
        EmbeddedChannel channel = fixture.udp();
        allocate(channel);
        fixture.send(channel, sendIndication("nope"));
        assertNothingReceived();
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "no-permission")).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void sendIndicationToAPeerTheReloadedPolicyDeniesIsDropped() throws Exception {
        EmbeddedChannel channel = fixture.udp();
        allocate(channel);
        fixture.exchange(channel, fixture.signed(StunMethod.CREATE_PERMISSION.request(), peerAddress));
        TurnPolicy current = fixture.policy.get();
        fixture.policy.set(new TurnPolicy(current.credentials(), PeerAddressPolicy.defaults(), current.quotas()));
        fixture.send(channel, sendIndication("after reload"));
        assertNothingReceived();
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "forbidden-peer")).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void channelDataOnABoundChannelReachesThePeerAndPaddingIsAccepted() throws Exception {
        EmbeddedChannel channel = fixture.udp();
        allocate(channel);
        fixture.exchange(channel, fixture.signed(StunMethod.CHANNEL_BIND.request(), new ChannelNumber(0x4001), peerAddress));
        fixture.send(channel, channelData(0x4001, "abc", 1));
        channel.runPendingTasks();
        assertThat(text(receive())).isEqualTo("abc");
        fixture.send(channel, channelData(0x4001, "abcd", 0));
        channel.runPendingTasks();
        assertThat(text(receive())).isEqualTo("abcd");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void channelDataOnAnUnboundChannelIsDroppedAndCounted() throws Exception {
        EmbeddedChannel channel = fixture.udp();
        allocate(channel);
        fixture.send(channel, channelData(0x4002, "lost", 0));
        assertNothingReceived();
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "no-channel")).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void channelDataWithTooMuchPaddingOrTooShortIsDropped() throws Exception {
        EmbeddedChannel channel = fixture.udp();
        allocate(channel);
        fixture.exchange(channel, fixture.signed(StunMethod.CHANNEL_BIND.request(), new ChannelNumber(0x4001), peerAddress));
        fixture.send(channel, channelData(0x4001, "abc", 5));
        byte[] shortFrame = channelData(0x4001, "abc", 0);
        fixture.send(channel, Arrays.copyOf(shortFrame, shortFrame.length - 1));
        assertNothingReceived();
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "malformed")).isEqualTo(2);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void dataFromAClientWithoutAllocationIsDropped() throws Exception {
        EmbeddedChannel channel = fixture.udp();
        fixture.send(channel, channelData(0x4001, "x", 0));
        fixture.send(channel, sendIndication("y"));
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "no-allocation")).isEqualTo(2);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void paddedChannelDataOverTcpReachesThePeer() throws Exception {
        EmbeddedChannel channel = fixture.tcp();
        StunMessage response = tcpExchange(channel, fixture.signed(ALLOCATE, UDP));
        assertThat(response.attribute(XorRelayedAddress.class)).isPresent();
        assertThat(code(tcpExchange(channel, fixture.signed(StunMethod.CHANNEL_BIND.request(), new ChannelNumber(0x4abc),
                peerAddress)))).isZero();
        ByteBuf frames = Unpooled.wrappedBuffer(channelData(0x4abc, "tcp-1", 3), channelData(0x4abc, "tcp-two!", 0));
        channel.writeInbound(frames);
        org.awaitility.Awaitility.await().until(() -> frames.refCnt() == 0);
        channel.runPendingTasks();
        assertThat(text(receive())).isEqualTo("tcp-1");
        assertThat(text(receive())).isEqualTo("tcp-two!");
        channel.close();
        assertThat(fixture.table.allocationCount()).as("closing the connection deletes the allocation").isZero();
        assertThat(channel.finish()).isFalse();
    }

    private InetSocketAddress allocate(EmbeddedChannel channel) throws Exception {
        StunMessage response = fixture.exchange(channel, fixture.signed(ALLOCATE, UDP));
        return response.attribute(XorRelayedAddress.class).orElseThrow().address();
    }

    private StunMessage tcpExchange(EmbeddedChannel channel, StunMessage request) throws Exception {
        ByteBuf in = Unpooled.wrappedBuffer(request.toBytes());
        channel.writeInbound(in);
        assertThat(in.refCnt()).isZero();
        ByteBuf out = channel.readOutbound();
        try {
            return StunMessage.decode(ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }

    private byte[] sendIndication(String text) {
        return StunMessage.builder(StunMethod.SEND.indication()).add(peerAddress)
                .add(new Data(text.getBytes(StandardCharsets.UTF_8))).build().toBytes();
    }

    static byte[] channelData(int number, String text, int padding) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer().writeShort(number).writeShort(data.length).writeBytes(data).writeZero(padding);
        return ByteBufUtil.getBytes(frame);
    }

    private DatagramPacket receive() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        peer.receive(packet);
        return packet;
    }

    private void assertNothingReceived() throws Exception {
        peer.setSoTimeout(200);
        try {
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            peer.receive(packet);
            throw new AssertionError("the peer received " + text(packet));
        } catch (SocketTimeoutException expected) {
            // nothing relayed
        }
    }

    private static String text(DatagramPacket packet) {
        return new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
    }
}
