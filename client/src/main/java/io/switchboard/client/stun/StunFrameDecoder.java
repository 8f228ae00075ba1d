package io.switchboard.client.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunStreamFramer;
import java.util.List;

/** Cuts STUN and ChannelData frames out of a TCP stream with {@link StunStreamFramer} (RFC 8489 §6.2.2). */
final class StunFrameDecoder extends ByteToMessageDecoder {
    private final byte[] prefix = new byte[StunStreamFramer.PREFIX_LENGTH];

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= StunStreamFramer.PREFIX_LENGTH) {
            in.getBytes(in.readerIndex(), prefix);
            int length;
            try {
                length = StunStreamFramer.frameLength(prefix, 0, prefix.length);
            } catch (StunDecodeException e) {
                in.skipBytes(in.readableBytes());
                throw new DecoderException(e.getMessage(), e);
            }
            if (in.readableBytes() < length) {
                return;
            }
            out.add(ByteBufUtil.getBytes(in, in.readerIndex(), length));
            in.skipBytes(length);
        }
    }
}
