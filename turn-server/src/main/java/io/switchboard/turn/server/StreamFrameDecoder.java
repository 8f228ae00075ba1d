package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.switchboard.stun.ChannelDataCodec;
import io.switchboard.stun.StunMessage;
import io.switchboard.turn.allocation.ChannelNumbers;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Cuts a TCP or TLS byte stream into STUN messages and ChannelData frames (RFC 8489 §6.2.2, RFC 8656 §12.5), each a
 * retained slice of the stream buffer; ChannelData frames (first two bits 01, as in RFC 5766) include their padding to
 * 4 bytes. A stream whose next bytes
 * start neither kind cannot be resynchronised: the decoder throws {@link CorruptedFrameException} and the connection
 * handler closes the connection. ChannelData before the connection has an allocation is garbage too: that is how an
 * HTTP request ("GET ", "POST") looks to a TURN framer.
 */
final class StreamFrameDecoder extends ByteToMessageDecoder {
    private final BooleanSupplier channelDataExpected;
    private volatile boolean passThrough;

    /** @param channelDataExpected whether the connection has an allocation, so ChannelData may come */
    StreamFrameDecoder(BooleanSupplier channelDataExpected) {
        this.channelDataExpected = channelDataExpected;
    }

    /** From now on passes bytes through unframed: the connection became an RFC 6062 data connection. */
    void passThrough() {
        passThrough = true;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (passThrough) {
            if (in.isReadable()) {
                out.add(in.readRetainedSlice(in.readableBytes()));
            }
            return;
        }
        // One frame per call: the handler sees it before the next is cut, so a ConnectionBind can switch to pass-through.
        if (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int first = in.getUnsignedByte(start);
            int length = in.getUnsignedShort(start + 2);
            int frame;
            if (ChannelNumbers.isChannelDataFirstByte(first) && channelDataExpected.getAsBoolean()) {
                frame = ChannelDataCodec.HEADER_LENGTH + ChannelDataCodec.paddedLength(length);
            } else if ((first & 0xC0) == 0 && (length & 3) == 0) {
                frame = StunMessage.HEADER_LENGTH + length;
            } else {
                in.skipBytes(in.readableBytes());
                throw new CorruptedFrameException(String.format(
                        "stream: first byte 0x%02x with length %d starts neither STUN nor ChannelData", first, length));
            }
            if (in.readableBytes() < frame) {
                return;
            }
            out.add(in.readRetainedSlice(frame));
        }
    }
}
