package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** STUN, ChannelData or anything else, told from the first bytes (RFC 8656 §12, RFC 7983). */
class PacketDemultiplexerTest {
    @Test
    void stunWithTheMagicCookieIsStun() {
        byte[] request = Hex.resource("rfc5769/sample-request.hex");
        assertThat(PacketDemultiplexer.classify(request, 0, request.length)).isEqualTo(PacketKind.STUN);
        assertThat(PacketDemultiplexer.classify(ByteBuffer.wrap(request))).isEqualTo(PacketKind.STUN);
        assertThat(PacketDemultiplexer.classify(ByteBuffer.allocateDirect(request.length).put(request).flip()))
                .isEqualTo(PacketKind.STUN);
    }

    @Test
    void classicBindingRequestIsStun() {
        byte[] classic = Hex.parse("00 01 00 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10");
        assertThat(PacketDemultiplexer.classify(classic, 0, classic.length)).isEqualTo(PacketKind.STUN);
        assertThat(PacketDemultiplexer.classify(ByteBuffer.allocateDirect(20).put(classic).flip())).isEqualTo(PacketKind.STUN);
    }

    @Test
    void headerWithoutCookieThatIsNoClassicMessageIsOther() {
        byte[] allocateWithoutCookie = Hex.parse("00 03 00 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10");
        assertThat(PacketDemultiplexer.classify(allocateWithoutCookie, 0, 20)).isEqualTo(PacketKind.OTHER);
        byte[] classicWithWrongLength = Hex.parse("00 01 00 08 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10");
        assertThat(PacketDemultiplexer.classify(classicWithWrongLength, 0, 20)).isEqualTo(PacketKind.OTHER);
    }

    @Test
    void firstByte0x40To0x4FIsChannelData() {
        assertThat(PacketDemultiplexer.classify(Hex.parse("40 00 00 00"), 0, 4)).isEqualTo(PacketKind.CHANNEL_DATA);
        assertThat(PacketDemultiplexer.classify(Hex.parse("4f ff 00 01 07"), 0, 5)).isEqualTo(PacketKind.CHANNEL_DATA);
        assertThat(PacketDemultiplexer.classify(Hex.parse("40 00 00"), 0, 3)).isEqualTo(PacketKind.OTHER);
    }

    @Test
    void dtlsRtpAndShortPacketsAreOther() {
        assertThat(PacketDemultiplexer.classify(Hex.parse("16 fe fd 00 00 00 00 00"), 0, 8)).isEqualTo(PacketKind.OTHER);
        assertThat(PacketDemultiplexer.classify(Hex.parse("80 60 00 01 00 00 00 00 00 00 00 00"), 0, 12))
                .isEqualTo(PacketKind.OTHER);
        assertThat(PacketDemultiplexer.classify(Hex.parse("00 01 00 00 21 12 a4 42"), 0, 8)).isEqualTo(PacketKind.OTHER);
        assertThat(PacketDemultiplexer.classify(new byte[0], 0, 0)).isEqualTo(PacketKind.OTHER);
        assertThat(PacketDemultiplexer.classify(new byte[4], 3, 4)).isEqualTo(PacketKind.OTHER);
    }
}
