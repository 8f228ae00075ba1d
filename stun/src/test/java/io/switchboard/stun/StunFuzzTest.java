package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes every decoder with one input: STUN decode → encode → decode must give an equal message, ChannelData decode →
 * encode → decode an equal frame, the demultiplexer must agree with the decoders, and the stream framer must cut the
 * bytes into frames. Any exception other than {@link StunDecodeException} is a finding that fails the build.
 *
 * <p>With JAZZER_FUZZ=1 (set by this module's pom) every {@code mvn verify} fuzzes for {@code maxDuration}; without it
 * the seed corpus in {@code src/test/resources/io/switchboard/stun/StunFuzzTestInputs/decodeEncodeDecode} (RFC vectors,
 * packets captured from Chromium, ChannelData) runs as a regression test.
 */
class StunFuzzTest {
    private static final byte[] KEY = IntegrityKeys.longTermMd5("capture", "switchboard.test", "capture-password");
    private static final StunDecoder STRICT = new StunDecoder(16, false);

    @FuzzTest(maxDuration = "30s")
    void decodeEncodeDecode(byte[] input) throws Exception {
        PacketKind kind = PacketDemultiplexer.classify(input, 0, input.length);

        StunMessage message = null;
        try {
            message = StunMessage.decode(input);
        } catch (StunDecodeException notStun) {
            // a typed refusal is the expected outcome for most inputs
        }
        if (message != null) {
            assertThat(kind).isEqualTo(PacketKind.STUN);
            StunMessage reencoded = StunMessage.of(message.type(), message.transactionId(), message.attributes());
            StunMessage again = StunMessage.decode(reencoded.toBytes());
            assertThat(again).isEqualTo(message);
            assertThat(StunMessage.of(again.type(), again.transactionId(), again.attributes()).toBytes())
                    .isEqualTo(reencoded.toBytes());
            MessageIntegrity.verify(message, KEY);
            MessageIntegritySha256.verify(message, KEY);
            Fingerprint.verify(message);
            message.unknownComprehensionRequired();
            assertThat(message.toString()).isNotEmpty();
        }
        try {
            STRICT.decode(input);
        } catch (StunDecodeException expected) {
            // fewer attributes allowed, no classic messages
        }

        try {
            ChannelData frame = ChannelDataCodec.decodeDatagram(input, 0, input.length);
            assertThat(kind).isEqualTo(PacketKind.CHANNEL_DATA);
            byte[] padded = ChannelDataCodec.encode(frame, true);
            assertThat(ChannelDataCodec.decodeStreamFrame(padded, 0, padded.length)).isEqualTo(frame);
            byte[] unpadded = ChannelDataCodec.encode(frame, false);
            assertThat(ChannelDataCodec.decodeDatagram(unpadded, 0, unpadded.length)).isEqualTo(frame);
        } catch (StunDecodeException notChannelData) {
            // expected for most inputs
        }

        int offset = 0;
        try {
            while (offset < input.length) {
                int length = StunStreamFramer.frameLength(input, offset, input.length - offset);
                if (length == StunStreamFramer.NEED_MORE || length > input.length - offset) {
                    break;
                }
                if (ChannelDataCodec.isChannelDataFirstByte(input[offset] & 0xFF)) {
                    ChannelDataCodec.decodeStreamFrame(input, offset, length);
                } else {
                    StunMessage.decode(input, offset, length);
                }
                offset += length;
            }
        } catch (StunDecodeException badStream) {
            // a stream that does not frame is closed by the server
        }
    }
}
