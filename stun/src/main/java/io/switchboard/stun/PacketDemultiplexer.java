package io.switchboard.stun;

import java.nio.ByteBuffer;

/**
 * Tells STUN from ChannelData from anything else by the first bytes, without creating objects (RFC 8656 §12,
 * RFC 7983 §7). A classification is a cheap guess for routing; the decoders still check everything.
 */
public final class PacketDemultiplexer {
    private PacketDemultiplexer() {
    }

    public static PacketKind classify(byte[] b, int offset, int length) {
        if (offset < 0 || length <= 0 || offset > b.length - length) {
            return PacketKind.OTHER;
        }
        int first = b[offset] & 0xFF;
        if (ChannelDataCodec.isChannelDataFirstByte(first)) {
            return length >= ChannelDataCodec.HEADER_LENGTH ? PacketKind.CHANNEL_DATA : PacketKind.OTHER;
        }
        if ((first & 0xC0) != 0 || length < StunMessage.HEADER_LENGTH) {
            return PacketKind.OTHER;
        }
        if (Bytes.getInt(b, offset + 4) == StunMessage.MAGIC_COOKIE) {
            return PacketKind.STUN;
        }
        int bodyLength = Bytes.getShort(b, offset + 2);
        boolean classic = StunDecoder.isClassicType(Bytes.getShort(b, offset)) && bodyLength % 4 == 0
                && bodyLength == length - StunMessage.HEADER_LENGTH;
        return classic ? PacketKind.STUN : PacketKind.OTHER;
    }

    /** Classifies the buffer's remaining bytes without moving its position. */
    public static PacketKind classify(ByteBuffer buffer) {
        int p = buffer.position();
        int length = buffer.remaining();
        if (length <= 0) {
            return PacketKind.OTHER;
        }
        if (buffer.hasArray()) {
            return classify(buffer.array(), buffer.arrayOffset() + p, length);
        }
        byte[] head = new byte[Math.min(length, StunMessage.HEADER_LENGTH)];
        buffer.duplicate().get(head);
        if (length > head.length) {
            // Only the header matters, except the classic-length check, which needs the real length.
            PacketKind kind = classify(head, 0, head.length);
            if (kind != PacketKind.OTHER || (head[0] & 0xC0) != 0) {
                return kind;
            }
            int bodyLength = Bytes.getShort(head, 2);
            return StunDecoder.isClassicType(Bytes.getShort(head, 0)) && bodyLength % 4 == 0
                    && bodyLength == length - StunMessage.HEADER_LENGTH ? PacketKind.STUN : PacketKind.OTHER;
        }
        return classify(head, 0, head.length);
    }
}
