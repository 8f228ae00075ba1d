package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.XorMappedAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The malformed-input policy (ARCHITECTURE.md): over UDP a datagram that does not decode is dropped and counted (a
 * request whose header decodes gets 400); over TCP a stream that stops framing as STUN or ChannelData is closed.
 */
class MalformedInputTest {
    private final HandlerFixture fixture = new HandlerFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void udpDatagramThatIsNotStunIsDroppedAndCounted() {
        EmbeddedChannel channel = fixture.udp();
        fixture.send(channel, new byte[] {(byte) 0xFF, 1, 2, 3, 4, 5, 6, 7});
        fixture.send(channel, new byte[] {0, 1});
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "not-stun")).isEqualTo(1);
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "malformed")).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void udpStunWithAWrongLengthFieldIsDroppedAndCounted() {
        EmbeddedChannel channel = fixture.udp();
        byte[] request = StunMessage.builder(MessageType.BINDING_REQUEST).fingerprint().build().toBytes();
        fixture.send(channel, Arrays.copyOf(request, request.length - 4));
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "malformed")).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void udpRequestWithABrokenAttributeGets400() throws Exception {
        EmbeddedChannel channel = fixture.udp();
        byte[] request = StunMessage.builder(StunMethod.ALLOCATE.request()).build().toBytes();
        byte[] broken = Arrays.copyOf(request, request.length + 8);
        broken[3] = 8;
        broken[20] = 0x00;
        broken[21] = 0x19;
        broken[23] = 2;
        fixture.send(channel, broken);
        StunMessage response = fixture.drainResponses(channel).get(0);
        assertThat(response.type()).isEqualTo(StunMethod.ALLOCATE.errorResponse());
        assertThat(response.attribute(ErrorCode.class).orElseThrow().code()).isEqualTo(400);
        assertThat(response.attribute(ErrorCode.class).orElseThrow().reason()).contains("REQUESTED-TRANSPORT");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void udpResponsesAndBadFingerprintsAreDropped() {
        EmbeddedChannel channel = fixture.udp();
        fixture.send(channel, StunMessage.builder(MessageType.BINDING_SUCCESS)
                .add(new XorMappedAddress(HandlerFixture.CLIENT)).build().toBytes());
        byte[] fingerprinted = StunMessage.builder(MessageType.BINDING_REQUEST).fingerprint().build().toBytes();
        fingerprinted[fingerprinted.length - 1] ^= 1;
        fixture.send(channel, fingerprinted);
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "unexpected")).isEqualTo(1);
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "bad-fingerprint")).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void tcpStreamThatSendsGarbageIsClosed() throws Exception {
        EmbeddedChannel channel = fixture.tcp();
        ByteBuf garbage = Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n\r\n".getBytes());
        channel.writeInbound(garbage);
        assertThat(garbage.refCnt()).isZero();
        assertThat(channel.isOpen()).isFalse();
        assertThat(fixture.counter("switchboard.turn.dropped", "reason", "stream-garbage")).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
        EmbeddedChannel other = fixture.tcp();
        other.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, 0, 0, 4, 1, 2, 3, 4}));
        assertThat(other.isOpen()).isFalse();
        assertThat(other.finish()).isFalse();
    }

    @Test
    void tcpFrameThatDoesNotDecodeClosesTheConnection() throws Exception {
        EmbeddedChannel channel = fixture.tcp();
        byte[] request = StunMessage.builder(MessageType.BINDING_REQUEST).build().toBytes();
        request[4] = 0x7F;
        ByteBuf in = Unpooled.wrappedBuffer(Arrays.copyOf(request, 20));
        in.setByte(1, 0x03);
        channel.writeInbound(in);
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void tcpBindingSplitAcrossSegmentsIsAnsweredOnceWholeAndTwoInOneSegmentTwice() throws Exception {
        EmbeddedChannel channel = fixture.tcp();
        byte[] request = StunMessage.builder(MessageType.BINDING_REQUEST).fingerprint().build().toBytes();
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(request, 7)));
        assertThat(channel.<Object>readOutbound()).isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(request, 7, request.length)));
        assertThat(readStream(channel).attribute(XorMappedAddress.class).orElseThrow().address())
                .isEqualTo(HandlerFixture.CLIENT);
        byte[] second = StunMessage.builder(MessageType.BINDING_REQUEST).build().toBytes();
        byte[] third = StunMessage.builder(MessageType.BINDING_REQUEST).build().toBytes();
        byte[] both = Arrays.copyOf(second, second.length + third.length);
        System.arraycopy(third, 0, both, second.length, third.length);
        channel.writeInbound(Unpooled.wrappedBuffer(both));
        assertThat(readStream(channel).transactionId()).isEqualTo(StunMessage.decode(second).transactionId());
        assertThat(readStream(channel).transactionId()).isEqualTo(StunMessage.decode(third).transactionId());
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.finish()).isFalse();
    }

    private static StunMessage readStream(EmbeddedChannel channel) throws Exception {
        ByteBuf out = channel.readOutbound();
        try {
            return StunMessage.decode(ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }
}
