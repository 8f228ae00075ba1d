package io.switchboard.signaling.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.switchboard.signaling.IceServers;
import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.protocol.ServerMessages;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.session.SessionContext;
import io.switchboard.signaling.sse.SseSessions;
import io.switchboard.signaling.ws.WebSocketSessionHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches every HTTP request of the listener: the WebSocket upgrade at {@code /ws}, the HTTP fallback
 * ({@code GET /api/events}, {@code POST /api/signal}), {@code GET /api/ice-servers}, the application's extra routes,
 * WebJars under {@code /webjars/} and the web client's static files for everything else.
 */
@ChannelHandler.Sharable
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** Name of this handler in the pipeline. */
    public static final String NAME = "http-router";
    /** Name of the idle handler in front of it, which closes idle keep-alive connections. */
    public static final String IDLE_NAME = "http-idle";
    /** Header carrying the HTTP fallback session id (the {@code session} query parameter works too). */
    public static final String SESSION_HEADER = "Switchboard-Session";

    private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final String WEB_PREFIX = "io/switchboard/web/";
    private static final String WEBJARS_PREFIX = "META-INF/resources/webjars/";

    private final SessionContext context;
    private final HttpRoutes routes;
    private final SseSessions sse;
    private final Set<PeerLink> openLinks;
    private final StaticFiles web;
    private final StaticFiles webjars;
    private final WebSocketDecoderConfig webSocketConfig;

    public HttpRouter(SessionContext context, HttpRoutes routes, SseSessions sse, Set<PeerLink> openLinks,
                      ClassLoader classLoader, int maxFrameBytes) {
        this.context = context;
        this.routes = routes;
        this.sse = sse;
        this.openLinks = openLinks;
        this.web = new StaticFiles(classLoader, WEB_PREFIX, "no-cache");
        this.webjars = new StaticFiles(classLoader, WEBJARS_PREFIX, "public, max-age=31536000, immutable");
        this.webSocketConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrameBytes)
                .allowExtensions(false)
                .allowMaskMismatch(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(true)
                .build();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            send(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", bytes("bad request\n"), Map.of(), true);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path;
        try {
            path = uri.path();
            uri.parameters();
        } catch (IllegalArgumentException badEscape) {
            // A malformed %-escape ("/%-", "?a=%zz") is a bad request, not a failure of the connection.
            send(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", bytes("bad request\n"), Map.of(), true);
            return;
        }
        if (!path.startsWith("/")) {
            send(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", bytes("bad request\n"), Map.of(), true);
            return;
        }
        String method = request.method().name();
        switch (path) {
            case "/ws":
                webSocket(ctx, request);
                return;
            case "/api/events":
                events(ctx, request);
                return;
            case "/api/signal":
                signal(ctx, request, uri);
                return;
            case "/api/ice-servers":
                iceServers(ctx, request, uri);
                return;
            default:
                break;
        }
        if (routes.hasPath(path)) {
            extraRoute(ctx, request, uri, path);
            return;
        }
        if (path.startsWith("/api/")) {
            sendError(ctx, request, HttpResponseStatus.NOT_FOUND, ErrorCode.BAD_MESSAGE, "no such API: " + path);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            methodNotAllowed(ctx, request, "GET, HEAD");
            return;
        }
        if (path.startsWith("/webjars/")) {
            serve(ctx, request, webjars, path.substring("/webjars/".length()));
        } else {
            serve(ctx, request, web, path.substring(1));
        }
    }

    private void webSocket(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.method() != HttpMethod.GET) {
            methodNotAllowed(ctx, request, "GET");
            return;
        }
        if (!"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
            send(ctx, request, HttpResponseStatus.UPGRADE_REQUIRED, "text/plain; charset=utf-8",
                    bytes("connect with a WebSocket client\n"), Map.of("Upgrade", "websocket", "Connection", "Upgrade"), false);
            return;
        }
        if (!originAllowed(ctx, request)) {
            return;
        }
        String scheme = ctx.pipeline().get("tls") != null ? "wss" : "ws";
        String location = scheme + "://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + "/ws";
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(location, null, webSocketConfig).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelFuture handshake;
        try {
            handshake = handshaker.handshake(ctx.channel(), request);
        } catch (io.netty.handler.codec.http.websocketx.WebSocketHandshakeException e) {
            // Upgrade: websocket without Connection: Upgrade or Sec-WebSocket-Key: a bad request, answered as one.
            send(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8",
                    bytes("bad WebSocket handshake: " + e.getMessage() + "\n"), Map.of(), true);
            return;
        }
        handshake.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            }
        });
        ChannelPipeline pipeline = ctx.pipeline();
        // The session handler keeps its own ping and idle timer, so the HTTP idle handler goes.
        pipeline.remove(IDLE_NAME);
        pipeline.addBefore(NAME, "ws-utf8", new Utf8FrameValidator(true));
        pipeline.replace(NAME, "ws-session", new WebSocketSessionHandler(context, openLinks, remote(ctx)));
    }

    private void events(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.method() != HttpMethod.GET) {
            methodNotAllowed(ctx, request, "GET");
            return;
        }
        if (!originAllowed(ctx, request)) {
            return;
        }
        sse.open(ctx, NAME, IDLE_NAME, remote(ctx));
    }

    private void signal(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        if (request.method() != HttpMethod.POST) {
            methodNotAllowed(ctx, request, "POST");
            return;
        }
        if (!originAllowed(ctx, request)) {
            return;
        }
        Optional<String> id = Optional.ofNullable(request.headers().get(SESSION_HEADER)).or(() -> first(uri, "session"));
        if (id.isEmpty()) {
            sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_MESSAGE,
                    "missing session id: send the " + SESSION_HEADER + " header or the 'session' query parameter");
            return;
        }
        Optional<SseSessions.SseSession> session = sse.find(id.get());
        if (session.isEmpty()) {
            sendError(ctx, request, HttpResponseStatus.NOT_FOUND, ErrorCode.UNKNOWN_SESSION,
                    "no open event stream with this session id; open GET /api/events again");
            return;
        }
        SseSessions.SseSession s = session.get();
        s.touch();
        ByteBuf body = request.content();
        int size = body.readableBytes();
        if (size > context.config().maxMessageBytes()) {
            s.session().onTooLarge(size);
        } else if (!ByteBufUtil.isText(body, StandardCharsets.UTF_8)) {
            s.session().onUnreadable("the message is not valid UTF-8");
        } else {
            s.session().onText(ByteBufUtil.getBytes(body));
        }
        send(ctx, request, HttpResponseStatus.ACCEPTED, null, new byte[0], Map.of("Cache-Control", "no-store"), false);
    }

    private void iceServers(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            methodNotAllowed(ctx, request, "GET, HEAD");
            return;
        }
        Optional<String> user = first(uri, "user");
        if (user.isPresent() && !USER.matcher(user.get()).matches()) {
            sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_MESSAGE,
                    "user must be 1-64 characters of A-Z a-z 0-9 _ . @ -");
            return;
        }
        IceServers servers;
        try {
            servers = context.iceServers().iceServers(user);
        } catch (RuntimeException e) {
            LOG.warn("ICE servers provider failed", e);
            sendError(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL_ERROR,
                    "could not produce ICE servers");
            return;
        }
        send(ctx, request, HttpResponseStatus.OK, "application/json", ServerMessages.iceServers(servers),
                Map.of("Cache-Control", "no-store"), false);
    }

    private void extraRoute(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, String path) {
        Optional<Route> route = routes.find(request.method().name(), path);
        if (route.isEmpty()) {
            List<String> methods = routes.methods(path);
            methodNotAllowed(ctx, request, String.join(", ", methods.contains("GET") && !methods.contains("HEAD")
                    ? concat(methods, "HEAD") : methods));
            return;
        }
        Map<String, List<String>> headers = new HashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>()).add(h.getValue());
        }
        RouteRequest routeRequest = new RouteRequest(request.method().name(), path, uri.parameters(), headers,
                ByteBufUtil.getBytes(request.content()));
        RouteResponse response;
        try {
            response = route.get().handle(routeRequest);
        } catch (RuntimeException e) {
            LOG.warn("route {} {} failed", request.method(), path, e);
            send(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                    bytes("internal server error\n"), Map.of(), false);
            return;
        }
        send(ctx, request, HttpResponseStatus.valueOf(response.status()), response.contentType(), response.body(),
                response.headers(), false);
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request, StaticFiles files, String relative) {
        StaticFiles.Lookup lookup = files.lookup(relative);
        if (lookup instanceof StaticFiles.Lookup.Redirect) {
            send(ctx, request, HttpResponseStatus.MOVED_PERMANENTLY, "text/plain; charset=utf-8", bytes("moved\n"),
                    Map.of("Location", ((StaticFiles.Lookup.Redirect) lookup).location()), false);
            return;
        }
        if (!(lookup instanceof StaticFiles.Lookup.Found)) {
            send(ctx, request, HttpResponseStatus.NOT_FOUND, "text/html; charset=utf-8", bytes(NOT_FOUND_PAGE),
                    Map.of("Cache-Control", "no-store"), false);
            return;
        }
        StaticFiles.StaticFile file = ((StaticFiles.Lookup.Found) lookup).file();
        Map<String, String> headers = Map.of(
                "ETag", file.etag(),
                "Last-Modified", DateFormatter.format(new Date(file.lastModifiedMillis())),
                "Cache-Control", file.cacheControl());
        if (notModified(request, file)) {
            send(ctx, request, HttpResponseStatus.NOT_MODIFIED, null, new byte[0], headers, false);
            return;
        }
        send(ctx, request, HttpResponseStatus.OK, file.contentType(), file.body(), headers, false);
    }

    private static boolean notModified(FullHttpRequest request, StaticFiles.StaticFile file) {
        String ifNoneMatch = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.startsWith("W/")) {
                    t = t.substring(2);
                }
                if (t.equals("*") || t.equals(file.etag())) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = request.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (ifModifiedSince != null) {
            Date since = DateFormatter.parseHttpDate(ifModifiedSince);
            return since != null && since.getTime() >= file.lastModifiedMillis();
        }
        return false;
    }

    private boolean originAllowed(ChannelHandlerContext ctx, FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null || context.config().originAllowed(origin)) {
            return true;
        }
        sendError(ctx, request, HttpResponseStatus.FORBIDDEN, ErrorCode.BAD_MESSAGE, "origin not allowed");
        return false;
    }

    private void methodNotAllowed(ChannelHandlerContext ctx, FullHttpRequest request, String allow) {
        send(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                bytes("method not allowed\n"), Map.of("Allow", allow), false);
    }

    private void sendError(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, ErrorCode code,
                           String message) {
        send(ctx, request, status, "application/json", ServerMessages.error(code, message, Optional.empty()),
                Map.of("Cache-Control", "no-store"), false);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                             String contentType, byte[] body, Map<String, String> headers, boolean forceClose) {
        boolean head = request.method() == HttpMethod.HEAD;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().set("X-Content-Type-Options", "nosniff");
        headers.forEach((name, value) -> response.headers().set(name, value));
        if (status.code() != 304) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        boolean keepAlive = !forceClose && HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection from {} failed: {}", remote(ctx), cause.toString());
        ctx.close();
    }

    private static Optional<String> first(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static List<String> concat(List<String> list, String extra) {
        List<String> all = new java.util.ArrayList<>(list);
        all.add(extra);
        all.sort(null);
        return all;
    }

    static String remote(ChannelHandlerContext ctx) {
        SocketAddress address = ctx.channel().remoteAddress();
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : inet.toString();
        }
        return String.valueOf(address);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String NOT_FOUND_PAGE = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
            + "<p>There is nothing at this address. <a href=\"/\">Go to the start page</a>.</p></body></html>\n";
}
