package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** ChannelData framing (RFC 8656 §12.4-12.5): channel range, padding over streams and datagrams. */
class ChannelDataCodecTest {
    @Test
    void datagramWithoutPaddingDecodes() throws Exception {
        byte[] datagram = Hex.parse("40 01 00 05 68 65 6c 6c 6f");
        assertThat(ChannelDataCodec.checkDatagram(datagram, 0, datagram.length)).isEqualTo(5);
        assertThat(ChannelDataCodec.decodeDatagram(datagram, 0, datagram.length))
                .isEqualTo(new ChannelData(0x4001, "hello".getBytes()));
    }

    @Test
    void datagramWithPaddingDecodesToTheSameData() throws Exception {
        byte[] padded = Hex.parse("4f ff 00 05 68 65 6c 6c 6f 00 00 00");
        assertThat(ChannelDataCodec.decodeDatagram(padded, 0, padded.length))
                .isEqualTo(new ChannelData(0x4FFF, "hello".getBytes()));
    }

    @Test
    void headerFieldsReadWithoutObjectsFromArraysAndBuffers() {
        byte[] b = Hex.parse("ff 40 02 01 00");
        assertThat(ChannelDataCodec.channelNumber(b, 1)).isEqualTo(0x4002);
        assertThat(ChannelDataCodec.dataLength(b, 1)).isEqualTo(0x0100);
        ByteBuffer direct = ByteBuffer.allocateDirect(5).put(b).flip();
        assertThat(ChannelDataCodec.channelNumber(direct, 1)).isEqualTo(0x4002);
        assertThat(ChannelDataCodec.dataLength(direct, 1)).isEqualTo(0x0100);
    }

    @Test
    void encodingPadsOnlyWhenAskedForStreams() {
        ChannelData message = new ChannelData(0x4000, new byte[] {1, 2, 3, 4, 5});
        assertThat(ChannelDataCodec.encode(message, false)).isEqualTo(Hex.parse("40 00 00 05 01 02 03 04 05"));
        assertThat(ChannelDataCodec.encode(message, true)).isEqualTo(Hex.parse("40 00 00 05 01 02 03 04 05 00 00 00"));
        byte[] header = new byte[6];
        assertThat(ChannelDataCodec.writeHeader(header, 2, 0x4abc, 300)).isEqualTo(6);
        assertThat(header).isEqualTo(Hex.parse("00 00 4a bc 01 2c"));
    }

    @Test
    void streamFrameWithoutItsPaddingIsRefused() {
        byte[] unpadded = Hex.parse("40 00 00 05 01 02 03 04 05");
        assertThatThrownBy(() -> ChannelDataCodec.decodeStreamFrame(unpadded, 0, unpadded.length))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("ChannelData: over a stream 5 data bytes need 12 bytes with padding, got 9");
    }

    @Test
    void badChannelDataDatagramsGiveTypedErrors() {
        assertThatThrownBy(() -> ChannelDataCodec.checkDatagram(Hex.parse("40 00 00"), 0, 3))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("ChannelData: incomplete header: 3 bytes (expected: 4+ bytes)");
        assertThatThrownBy(() -> ChannelDataCodec.checkDatagram(Hex.parse("40 00 00 08 01 02 03"), 0, 7))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("ChannelData: length field says 8 bytes but the datagram has 3");
        assertThatThrownBy(() -> ChannelDataCodec.checkDatagram(Hex.parse("40 00 00 01 01 02 03 04 05"), 0, 9))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("ChannelData: 5 bytes follow the header but length 1 allows at most 4 with padding");
        assertThatThrownBy(() -> ChannelDataCodec.checkDatagram(Hex.parse("50 00 00 00"), 0, 4))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("ChannelData: channel number 0x5000 outside 0x4000-0x4FFF");
        assertThatThrownBy(() -> ChannelDataCodec.checkDatagram(new byte[4], 2, 4))
                .isInstanceOf(StunDecodeException.class);
    }

    @Test
    void channelNumbersOutsideTheTurnRangeCannotBeEncoded() {
        assertThat(ChannelDataCodec.isValidChannelNumber(0x3FFF)).isFalse();
        assertThat(ChannelDataCodec.isValidChannelNumber(0x4000)).isTrue();
        assertThat(ChannelDataCodec.isValidChannelNumber(0x4FFF)).isTrue();
        assertThat(ChannelDataCodec.isValidChannelNumber(0x5000)).isFalse();
        assertThatThrownBy(() -> new ChannelData(0x3FFF, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
