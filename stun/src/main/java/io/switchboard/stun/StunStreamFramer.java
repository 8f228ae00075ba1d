package io.switchboard.stun;

import java.nio.ByteBuffer;

/**
 * Cuts STUN messages and ChannelData frames out of a TCP or TLS byte stream (RFC 8489 §6.2.2, RFC 8656 §12.5): tells,
 * from the first 4 bytes, how long the next frame is. ChannelData frames over a stream include their padding.
 */
public final class StunStreamFramer {
    /** Fewer than 4 bytes are buffered: the next frame's length is not known yet. */
    public static final int NEED_MORE = -1;
    /** The bytes that are enough to know the next frame's length. */
    public static final int PREFIX_LENGTH = 4;

    private StunStreamFramer() {
    }

    /**
     * The total length of the frame starting at {@code offset}, or {@link #NEED_MORE} when fewer than 4 bytes are
     * available. A stream whose next frame is neither STUN nor ChannelData cannot be resynchronised: the caller closes
     * it.
     */
    public static int frameLength(byte[] b, int offset, int available) throws StunDecodeException {
        if (available < PREFIX_LENGTH) {
            return NEED_MORE;
        }
        if (offset < 0 || offset > b.length - PREFIX_LENGTH) {
            throw new StunDecodeException("stream: offset " + offset + " outside a buffer of " + b.length + " bytes");
        }
        return frameLength(b[offset] & 0xFF, b[offset + 1] & 0xFF, b[offset + 2] & 0xFF, b[offset + 3] & 0xFF);
    }

    /** As {@link #frameLength(byte[], int, int)} for the buffer's remaining bytes, without moving its position. */
    public static int frameLength(ByteBuffer buffer) throws StunDecodeException {
        if (buffer.remaining() < PREFIX_LENGTH) {
            return NEED_MORE;
        }
        int p = buffer.position();
        return frameLength(buffer.get(p) & 0xFF, buffer.get(p + 1) & 0xFF, buffer.get(p + 2) & 0xFF, buffer.get(p + 3) & 0xFF);
    }

    private static int frameLength(int b0, int b1, int b2, int b3) throws StunDecodeException {
        int length = (b2 << 8) | b3;
        if (ChannelDataCodec.isChannelDataFirstByte(b0)) {
            return ChannelDataCodec.HEADER_LENGTH + ChannelDataCodec.paddedLength(length);
        }
        if ((b0 & 0xC0) == 0) {
            if (length % 4 != 0) {
                throw new StunDecodeException("stream: STUN message length " + length + " is not a multiple of 4");
            }
            return StunMessage.HEADER_LENGTH + length;
        }
        throw new StunDecodeException(String.format(
                "stream: first byte 0x%02x starts neither STUN (0x00-0x3F) nor ChannelData (0x40-0x4F)", b0));
    }
}
