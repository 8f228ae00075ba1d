package io.switchboard.signaling.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.session.ClientSession;
import io.switchboard.signaling.session.SessionContext;
import io.switchboard.signaling.session.SignalingMetrics;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One signaling session over WebSocket (RFC 6455): reassembles fragmented text messages up to the size limit,
 * answers pings, pings a silent client every ping interval and drops it after the idle timeout (with one timer of its
 * own rather than an idle-state handler, which would cost every idle connection three more objects).
 *
 * <p>A close frame from the client ends the session with a leave; a connection that just drops keeps its peer for
 * the resume grace period.
 */
public final class WebSocketSessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSessionHandler.class);

    private final SessionContext context;
    private final Set<PeerLink> openLinks;
    private final String remote;
    private final long maxMessageBytes;
    private final long idleTimeoutNanos;
    private final long pingNanos;
    private final Runnable idleCheck = this::checkIdle;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> idleTimer;
    private WebSocketLink link;
    private ClientSession session;
    private ByteBuf fragments;
    private boolean inFragments;
    private boolean fragmentBinary;
    private long fragmentSize;
    private long lastReadNanos = System.nanoTime();
    private String endReason;
    private boolean clientClosed;

    public WebSocketSessionHandler(SessionContext context, Set<PeerLink> openLinks, String remote) {
        this.context = context;
        this.openLinks = openLinks;
        this.remote = remote;
        this.maxMessageBytes = context.config().maxMessageBytes();
        this.idleTimeoutNanos = context.config().idleTimeout().toNanos();
        this.pingNanos = context.config().pingInterval().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        link = new WebSocketLink(ctx.channel());
        session = new ClientSession(context, SignalingMetrics.Transport.WS, link, remote);
        openLinks.add(link);
        idleTimer = ctx.executor().schedule(idleCheck, pingNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        try {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                dataFrame(ctx, (WebSocketFrame) msg, msg instanceof BinaryWebSocketFrame);
            } else if (msg instanceof ContinuationWebSocketFrame) {
                continuation((ContinuationWebSocketFrame) msg);
            } else if (msg instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(((PingWebSocketFrame) msg).content().retain()));
            } else if (msg instanceof CloseWebSocketFrame) {
                clientClosed = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> ctx.close());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void dataFrame(ChannelHandlerContext ctx, WebSocketFrame frame, boolean binary) {
        ByteBuf content = frame.content();
        int size = content.readableBytes();
        if (frame.isFinalFragment()) {
            if (binary) {
                session.onBinary();
            } else if (size > maxMessageBytes) {
                session.onTooLarge(size);
            } else {
                session.onText(ByteBufUtil.getBytes(content));
            }
            return;
        }
        inFragments = true;
        fragmentBinary = binary;
        fragmentSize = size;
        if (!binary && size <= maxMessageBytes) {
            fragments = ctx.alloc().heapBuffer((int) Math.min(size * 2L, maxMessageBytes), (int) maxMessageBytes);
            fragments.writeBytes(content);
        }
    }

    private void continuation(ContinuationWebSocketFrame frame) {
        if (!inFragments) {
            return; // the frame decoder refuses this already
        }
        ByteBuf content = frame.content();
        fragmentSize += content.readableBytes();
        if (fragments != null) {
            if (fragmentSize > maxMessageBytes) {
                releaseFragments();
            } else {
                fragments.writeBytes(content);
            }
        }
        if (!frame.isFinalFragment()) {
            return;
        }
        inFragments = false;
        if (fragmentBinary) {
            session.onBinary();
        } else if (fragments == null) {
            session.onTooLarge(fragmentSize);
        } else {
            byte[] bytes = ByteBufUtil.getBytes(fragments);
            releaseFragments();
            session.onText(bytes);
        }
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    /** Runs a ping interval after the last read or ping: closes a client silent for the idle timeout, else pings it. */
    private void checkIdle() {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long silent = System.nanoTime() - lastReadNanos;
        if (silent < pingNanos) {
            idleTimer = ctx.executor().schedule(idleCheck, pingNanos - silent, TimeUnit.NANOSECONDS);
            return;
        }
        if (silent >= idleTimeoutNanos) {
            endReason = "idle-timeout";
            ctx.close();
            return;
        }
        ctx.writeAndFlush(new PingWebSocketFrame());
        idleTimer = ctx.executor().schedule(idleCheck, pingNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseFragments();
        cancelIdleTimer();
        openLinks.remove(link);
        String serverReason = link.closeReason();
        boolean leave = clientClosed || "policy-violation".equals(serverReason);
        String reason = clientClosed ? "client-close" : serverReason != null ? serverReason
                : endReason != null ? endReason : "connection-lost";
        session.onClosed(leave, reason);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseFragments();
        cancelIdleTimer();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("websocket from {} failed: {}", remote, cause.toString());
        if (endReason == null) {
            endReason = cause instanceof java.io.IOException ? "connection-lost" : "error";
        }
        ctx.close();
    }
}
