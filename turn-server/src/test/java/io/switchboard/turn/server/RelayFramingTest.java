package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.RecvByteBufAllocator;
import io.switchboard.stun.ChannelData;
import io.switchboard.stun.ChannelDataCodec;
import io.switchboard.stun.Data;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.XorPeerAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's hot-path framing: headers written in place around a payload received with headroom, or into a new
 * buffer, decode with the stun module exactly like what a client expects (RFC 8656 §11.4, §12.4, §12.5), and the
 * Send indication reader finds peer and data in place.
 */
class RelayFramingTest {
    private final HeadroomRecvByteBufAllocator allocator = RelaySockets.RELAY_RECEIVE;

    @Test
    void receiveBuffersHaveRoomForTheLongestHeaderAndPadding() {
        RecvByteBufAllocator.ExtendedHandle handle = allocator.newHandle();
        ByteBuf received = handle.allocate(PooledByteBufAllocator.DEFAULT);
        try {
            assertThat(received.writerIndex()).isZero();
            assertThat(received.writableBytes()).isEqualTo(allocator.size());
            ByteBuf parent = allocator.parentOf(received);
            assertThat(parent).isNotNull();
            assertThat(parent.capacity() - allocator.size()).isEqualTo(52);
            assertThat(allocator.parentOf(Unpooled.buffer(allocator.size()))).isNull();
        } finally {
            received.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 170})
    void channelDataWrittenInPlaceIsPaddedOverStreamsOnly(int length) throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            ByteBuf received = received(length);
            ByteBuf parent = allocator.parentOf(received);
            ByteBuf frame = ChannelDataFrames.wrapInPlace(parent, HeadroomRecvByteBufAllocator.HEADROOM, length, 0x4001, stream);
            received.release();
            try {
                byte[] bytes = ByteBufUtil.getBytes(frame);
                ChannelData decoded = stream ? ChannelDataCodec.decodeStreamFrame(bytes, 0, bytes.length)
                        : ChannelDataCodec.decodeDatagram(bytes, 0, bytes.length);
                assertThat(decoded.channelNumber()).isEqualTo(0x4001);
                assertThat(decoded.data()).isEqualTo(payload(length));
                assertThat(bytes.length).isEqualTo(4 + (stream ? (length + 3) & ~3 : length));
            } finally {
                frame.release();
            }
            assertThat(parent.refCnt()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.7", "2001:db8::7"})
    void dataIndicationWrittenInPlaceDecodesWithPeerAndData(String ip) throws Exception {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(ip), 61000);
        for (int length : new int[] {0, 5, 170}) {
            ByteBuf received = received(length);
            ByteBuf indication = DataIndications.wrapInPlace(allocator.parentOf(received),
                    HeadroomRecvByteBufAllocator.HEADROOM, length, peer);
            received.release();
            try {
                StunMessage message = StunMessage.decode(ByteBufUtil.getBytes(indication));
                assertThat(message.type()).isEqualTo(StunMethod.DATA.indication());
                assertThat(message.messageClass()).isEqualTo(MessageClass.INDICATION);
                assertThat(message.attribute(XorPeerAddress.class).orElseThrow().address()).isEqualTo(peer);
                assertThat(message.attribute(Data.class).orElseThrow().data()).isEqualTo(payload(length));
            } finally {
                indication.release();
            }
        }
    }

    @Test
    void copiedFramesMatchTheInPlaceOnes() throws Exception {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 61000);
        ByteBuf data = Unpooled.wrappedBuffer(payload(7));
        ByteBuf frame = ChannelDataFrames.encode(Unpooled.buffer().alloc(), data, 0x4abc, true);
        ByteBuf indication = DataIndications.encode(Unpooled.buffer().alloc(), peer, data);
        try {
            assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(ChannelDataCodec.encode(new ChannelData(0x4abc, payload(7)), true));
            StunMessage message = StunMessage.decode(ByteBufUtil.getBytes(indication));
            assertThat(message.attribute(Data.class).orElseThrow().data()).isEqualTo(payload(7));
            assertThat(data.readerIndex()).isZero();
        } finally {
            frame.release();
            indication.release();
        }
    }

    @Test
    void sendIndicationReaderFindsPeerAndDataAndRefusesUnknownRequiredAttributes() throws Exception {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("2001:db8::9"), 4242);
        byte[] send = StunMessage.builder(StunMethod.SEND.indication()).add(new XorPeerAddress(peer))
                .add(new Data(payload(9))).fingerprint().build().toBytes();
        SendIndicationReader reader = new SendIndicationReader();
        ByteBuf buf = Unpooled.wrappedBuffer(send);
        assertThat(SendIndicationReader.isSendIndication(buf)).isTrue();
        assertThat(reader.read(buf)).isTrue();
        assertThat(reader.peer()).isEqualTo(peer);
        assertThat(ByteBufUtil.getBytes(buf, reader.dataIndex(), reader.dataLength())).isEqualTo(payload(9));
        InetSocketAddress first = reader.peer();
        assertThat(reader.read(buf)).isTrue();
        assertThat(reader.peer()).as("same peer, same object").isSameAs(first);

        byte[] unknown = StunMessage.builder(StunMethod.SEND.indication()).add(new XorPeerAddress(peer))
                .add(new Data(payload(1))).add(new io.switchboard.stun.UnknownAttribute(0x0042, new byte[4])).build().toBytes();
        assertThat(reader.read(Unpooled.wrappedBuffer(unknown))).isFalse();
        byte[] noData = StunMessage.builder(StunMethod.SEND.indication()).add(new XorPeerAddress(peer)).build().toBytes();
        assertThat(reader.read(Unpooled.wrappedBuffer(noData))).isFalse();
        byte[] truncated = java.util.Arrays.copyOf(send, send.length - 8);
        assertThat(reader.read(Unpooled.wrappedBuffer(truncated))).isFalse();
    }

    private ByteBuf received(int length) {
        ByteBuf buffer = allocator.newHandle().allocate(PooledByteBufAllocator.DEFAULT);
        buffer.writeBytes(payload(length));
        return buffer;
    }

    private static byte[] payload(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        return data;
    }

    @SuppressWarnings("unused")
    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
