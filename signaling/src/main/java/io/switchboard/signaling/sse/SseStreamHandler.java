package io.switchboard.signaling.sse;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one event stream alive: a comment every ping interval, and the end of the stream once the client has not
 * posted anything for the idle timeout. Anything else the client sends on this connection is ignored.
 */
final class SseStreamHandler extends ChannelInboundHandlerAdapter {
    private final SseSessions sessions;
    private final SseSessions.SseSession session;
    private final long pingNanos;
    private final long idleTimeoutNanos;
    private ScheduledFuture<?> ticker;
    private String endReason;

    SseStreamHandler(SseSessions sessions, SseSessions.SseSession session, Duration pingInterval, Duration idleTimeout) {
        this.sessions = sessions;
        this.session = session;
        this.pingNanos = pingInterval.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), pingNanos, pingNanos, TimeUnit.NANOSECONDS);
    }

    private void tick(ChannelHandlerContext ctx) {
        if (System.nanoTime() - session.lastActivityNanos() >= idleTimeoutNanos) {
            endReason = "idle-timeout";
            session.link().end("idle-timeout");
        } else {
            session.link().keepalive();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ticker.cancel(false);
        sessions.closed(session);
        String serverReason = session.link().closeReason();
        boolean leave = "policy-violation".equals(serverReason);
        String reason = serverReason != null ? serverReason : endReason != null ? endReason : "connection-lost";
        session.session().onClosed(leave, reason);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (endReason == null) {
            endReason = cause instanceof java.io.IOException ? "connection-lost" : "error";
        }
        ctx.close();
    }
}
