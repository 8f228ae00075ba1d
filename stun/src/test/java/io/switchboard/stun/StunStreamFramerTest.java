package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting STUN and ChannelData frames out of a TCP stream (RFC 8489 §6.2.2, RFC 8656 §12.5). */
class StunStreamFramerTest {
    @Test
    void mixedStreamCutsIntoItsFramesWithChannelDataPadding() throws Exception {
        byte[] stun = Hex.resource("rfc5769/sample-request.hex");
        byte[] channelData = ChannelDataCodec.encode(new ChannelData(0x4001, new byte[] {1, 2, 3, 4, 5}), true);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(channelData);
        stream.writeBytes(stun);
        stream.writeBytes(ChannelDataCodec.encode(new ChannelData(0x4002, new byte[0]), true));
        stream.writeBytes(new byte[] {0x00, 0x01});
        byte[] bytes = stream.toByteArray();

        List<Integer> frames = new ArrayList<>();
        int offset = 0;
        while (true) {
            int length = StunStreamFramer.frameLength(bytes, offset, bytes.length - offset);
            if (length == StunStreamFramer.NEED_MORE || length > bytes.length - offset) {
                break;
            }
            frames.add(length);
            offset += length;
        }
        assertThat(frames).containsExactly(12, stun.length, 4);
        assertThat(bytes.length - offset).isEqualTo(2);
        assertThat(ChannelDataCodec.decodeStreamFrame(bytes, 0, 12).data()).containsExactly(1, 2, 3, 4, 5);
        assertThat(StunMessage.decode(bytes, 12, stun.length)).isEqualTo(StunMessage.decode(stun));
    }

    @Test
    void fewerThanFourBytesNeedMore() throws Exception {
        assertThat(StunStreamFramer.frameLength(Hex.parse("40 00 00"), 0, 3)).isEqualTo(StunStreamFramer.NEED_MORE);
        assertThat(StunStreamFramer.frameLength(ByteBuffer.wrap(Hex.parse("00 01")))).isEqualTo(StunStreamFramer.NEED_MORE);
        assertThat(StunStreamFramer.frameLength(Hex.parse("40 00 00 05"), 0, 4)).isEqualTo(12);
        assertThat(StunStreamFramer.frameLength(ByteBuffer.wrap(Hex.parse("00 01 00 08")))).isEqualTo(28);
    }

    @Test
    void garbageOnTheStreamIsATypedError() {
        assertThatThrownBy(() -> StunStreamFramer.frameLength("POST".getBytes(), 0, 4))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("stream: first byte 0x50 starts neither STUN (0x00-0x3F) nor ChannelData (0x40-0x4F)");
        assertThatThrownBy(() -> StunStreamFramer.frameLength(Hex.parse("16 03 01 02"), 0, 4))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("stream: STUN message length 258 is not a multiple of 4");
        assertThatThrownBy(() -> StunStreamFramer.frameLength(Hex.parse("80 01 00 00"), 0, 4))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("stream: first byte 0x80 starts neither STUN (0x00-0x3F) nor ChannelData (0x40-0x4F)");
    }
}
