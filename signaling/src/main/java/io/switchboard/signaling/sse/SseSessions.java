package io.switchboard.signaling.sse;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.signaling.protocol.ServerMessages;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.session.ClientSession;
import io.switchboard.signaling.session.SessionContext;
import io.switchboard.signaling.session.SignalingMetrics;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP fallback's sessions: each {@code GET /api/events} stream is one session, named by an unguessable id that
 * the client sends with every {@code POST /api/signal}.
 */
public final class SseSessions {
    private static final int SESSION_ID_BYTES = 24;

    private final SessionContext context;
    private final Set<PeerLink> openLinks;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SseSession> sessions = new ConcurrentHashMap<>();

    /** One open event stream and the protocol session behind it. */
    public static final class SseSession {
        private final String id;
        private final SseLink link;
        private final ClientSession session;
        private volatile long lastActivityNanos = System.nanoTime();

        SseSession(String id, SseLink link, ClientSession session) {
            this.id = id;
            this.link = link;
            this.session = session;
        }

        /** The protocol session; its methods may be called from any thread. */
        public ClientSession session() {
            return session;
        }

        /** Records client activity (a POST), which keeps the stream from timing out. */
        public void touch() {
            lastActivityNanos = System.nanoTime();
        }

        long lastActivityNanos() {
            return lastActivityNanos;
        }

        String id() {
            return id;
        }

        SseLink link() {
            return link;
        }
    }

    public SseSessions(SessionContext context, Set<PeerLink> openLinks) {
        this.context = context;
        this.openLinks = openLinks;
    }

    /** The open session {@code id}. */
    public Optional<SseSession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /**
     * Turns the connection of {@code ctx}, which just asked for {@code GET /api/events}, into an event stream: sends
     * the response head and the {@code session} event, and puts the stream handler in place of {@code routerName}.
     */
    public void open(ChannelHandlerContext ctx, String routerName, String idleHandlerName, String remote) {
        String id = newId();
        SseLink link = new SseLink(ctx.channel());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set("X-Accel-Buffering", "no")
                .set("X-Content-Type-Options", "nosniff");
        ctx.writeAndFlush(head);
        ClientSession session = new ClientSession(context, SignalingMetrics.Transport.SSE, link, remote);
        SseSession sse = new SseSession(id, link, session);
        sessions.put(id, sse);
        openLinks.add(link);
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(idleHandlerName);
        pipeline.replace(routerName, "sse-stream", new SseStreamHandler(this, sse, context.config().pingInterval(),
                context.config().idleTimeout()));
        link.send(ServerMessages.session(id, context.config().pingInterval().toMillis(),
                context.config().idleTimeout().toMillis()));
    }

    void closed(SseSession session) {
        sessions.remove(session.id(), session);
        openLinks.remove(session.link());
    }

    private String newId() {
        byte[] b = new byte[SESSION_ID_BYTES];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
