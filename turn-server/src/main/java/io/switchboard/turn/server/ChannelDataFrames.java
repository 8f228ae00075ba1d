package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes ChannelData messages (RFC 8656 §12.4) for the relay's hot path: the 4-byte header in front of the data and,
 * over streams, zero padding to 4 bytes (§12.5); either around data already in a buffer or into a new pooled one.
 */
final class ChannelDataFrames {
    static final int HEADER_LENGTH = 4;

    private ChannelDataFrames() {
    }

    /** The message for {@code data}'s readable bytes in a new buffer; {@code data} is left as it is. */
    static ByteBuf encode(ByteBufAllocator alloc, ByteBuf data, int channel, boolean pad) {
        int length = data.readableBytes();
        int padding = pad ? (4 - (length & 3)) & 3 : 0;
        ByteBuf out = alloc.ioBuffer(HEADER_LENGTH + length + padding);
        out.writeShort(channel);
        out.writeShort(length);
        out.writeBytes(data, data.readerIndex(), length);
        out.writeZero(padding);
        return out;
    }

    /**
     * Writes header and padding around {@code length} bytes at {@code dataIndex} of {@code buffer} (4 bytes of room before
     * them, 3 after) and returns {@code buffer}, retained, with its indices around the message.
     */
    static ByteBuf wrapInPlace(ByteBuf buffer, int dataIndex, int length, int channel, boolean pad) {
        int padding = pad ? (4 - (length & 3)) & 3 : 0;
        int start = dataIndex - HEADER_LENGTH;
        buffer.setShort(start, channel);
        buffer.setShort(start + 2, length);
        buffer.setZero(dataIndex + length, padding);
        // The buffer itself, retained and narrowed to the message: no slice object per packet.
        return buffer.retain().setIndex(start, dataIndex + length + padding);
    }
}
