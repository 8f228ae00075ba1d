package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.ChannelNumbers;
import io.switchboard.turn.allocation.CloseReason;
import io.switchboard.turn.allocation.FiveTuple;
import io.switchboard.turn.allocation.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * One TCP or TLS client connection (RFC 8656 §3.1): frames from {@link StreamFrameDecoder} are STUN messages or
 * ChannelData. Malformed-input policy: a stream that stops framing, or a frame that does not decode as STUN, closes the
 * connection. When the connection closes, its allocation is deleted (RFC 8656 §3.1). A connection that holds no
 * allocation (and is no RFC 6062 data connection) is closed once {@code connectionTimeout} passes without one, so that
 * half-open connections and TLS handshakes that never finish cannot hold sockets forever (RFC 8656 §21.1.4).
 */
final class StreamConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConnectionHandler.class);

    private final ServerContext context;
    private final RequestDispatcher dispatcher;
    private final Transport transport;
    private final SendIndicationReader sendReader = new SendIndicationReader();
    private StreamClientLink link;
    private Allocation allocation;
    /** The peer connection this data connection is bound to (RFC 6062 §5.4), or null while it speaks STUN. */
    private Channel pipe;
    private io.netty.util.concurrent.ScheduledFuture<?> timeout;

    StreamConnectionHandler(ServerContext context, RequestDispatcher dispatcher, Transport transport) {
        this.context = context;
        this.dispatcher = dispatcher;
        this.transport = transport;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress
                && ctx.channel().localAddress() instanceof InetSocketAddress) {
            link = new StreamClientLink(ctx.channel(), new FiveTuple((InetSocketAddress) ctx.channel().remoteAddress(),
                    (InetSocketAddress) ctx.channel().localAddress(), transport));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (link == null) {
                handlerAdded(ctx);
                if (link == null) {
                    ctx.close();
                    return;
                }
            }
            read(ctx, frame);
        } finally {
            frame.release();
        }
    }

    /** Turns this connection into an RFC 6062 data connection: what follows is the peer's bytes, not STUN. */
    void becomePipe(Channel peer) {
        pipe = peer;
        link.channel().config().setRecvByteBufAllocator(new io.netty.channel.FixedRecvByteBufAllocator(RelaySockets.PIPE_READ));
        StreamFrameDecoder decoder = link.channel().pipeline().get(StreamFrameDecoder.class);
        if (decoder != null) {
            decoder.passThrough();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (pipe != null && ctx.channel().isWritable()) {
            pipe.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void read(ChannelHandlerContext ctx, ByteBuf frame) {
        if (pipe != null) {
            TcpPeerConnection.forward(ctx.channel(), pipe, frame.retain(), context, true);
            return;
        }
        int first = frame.getUnsignedByte(frame.readerIndex());
        if (ChannelNumbers.isChannelDataFirstByte(first)) {
            Allocation allocation = allocation();
            if (allocation == null) {
                context.metrics().dropped(DropReason.NO_ALLOCATION);
                return;
            }
            context.clientToPeer().channelData(allocation, frame, true);
            return;
        }
        if (SendIndicationReader.isSendIndication(frame)) {
            Allocation allocation = allocation();
            if (allocation == null) {
                context.metrics().dropped(DropReason.NO_ALLOCATION);
                return;
            }
            if (!sendReader.read(frame)) {
                context.metrics().dropped(DropReason.MALFORMED);
                return;
            }
            context.clientToPeer().send(allocation, sendReader.peer(), frame, sendReader.dataIndex(),
                    sendReader.dataLength(), context.clock().millis());
            return;
        }
        StunMessage message;
        try {
            message = StunMessage.decode(ByteBufUtil.getBytes(frame));
        } catch (StunDecodeException e) {
            context.metrics().dropped(DropReason.STREAM_GARBAGE);
            LOG.debug("closing {}: {}", link.fiveTuple(), e.getMessage());
            ctx.close();
            return;
        }
        dispatcher.dispatch(message, link);
    }

    /** Whether the connection has an allocation, so that ChannelData frames may arrive. */
    boolean hasAllocation() {
        return link != null && allocation() != null;
    }

    /** The connection's allocation, remembered once found: at most one per five-tuple. */
    private Allocation allocation() {
        if (allocation == null || !allocation.isActive()) {
            Allocation found = context.table().find(link.fiveTuple()).orElse(null);
            allocation = found != null && found.isActive() ? found : null;
        }
        return allocation;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FlushQueue.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armTimeout(ctx);
        ctx.fireChannelActive();
    }

    private void armTimeout(ChannelHandlerContext ctx) {
        long millis = context.config().connectionTimeout().toMillis();
        timeout = ctx.executor().schedule(() -> closeIfUnallocated(ctx), millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void closeIfUnallocated(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive() || pipe != null) {
            return;
        }
        if (hasAllocation()) {
            armTimeout(ctx);
            return;
        }
        LOG.debug("closing {}: no allocation within {}", ctx.channel().remoteAddress(), context.config().connectionTimeout());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (link != null) {
            context.table().find(link.fiveTuple()).ifPresent(a -> context.table().remove(a, CloseReason.CONNECTION_CLOSED));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            context.metrics().dropped(DropReason.STREAM_GARBAGE);
        }
        LOG.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
