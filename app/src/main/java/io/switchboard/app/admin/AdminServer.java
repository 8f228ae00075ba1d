package io.switchboard.app.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.switchboard.transport.NettyTransport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The admin listener, on 127.0.0.1 by default: Prometheus metrics at {@code /metrics}, liveness at {@code /healthz} and
 * readiness at {@code /readyz}.
 */
public final class AdminServer implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 8192;

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds the admin listener on {@code address} using {@code group}; {@code metrics} renders the Prometheus text,
     * {@code health} tells whether every listener is up and {@code ready} whether new work is accepted.
     */
    public static AdminServer start(InetSocketAddress address, EventLoopGroup group, NettyTransport transport,
                                    Supplier<String> metrics, Supplier<Boolean> health, Supplier<Boolean> ready)
            throws InterruptedException {
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(30),
                                new HttpServerCodec(4096, 8192, 8192),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new Handler(metrics, health, ready));
                    }
                })
                .bind(address).sync().channel();
        return new AdminServer(channel);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** Answers the three admin paths. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Supplier<String> metrics;
        private final Supplier<Boolean> health;
        private final Supplier<Boolean> ready;

        Handler(Supplier<String> metrics, Supplier<Boolean> health, Supplier<Boolean> ready) {
            this.metrics = metrics;
            this.health = health;
            this.ready = ready;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            if (!request.decoderResult().isSuccess()) {
                response = text(HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", "bad request\n");
            } else if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
                response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "use GET\n");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else {
                response = route(new QueryStringDecoder(request.uri()).path());
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
            HttpUtil.setKeepAlive(response, keepAlive);
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private FullHttpResponse route(String path) {
            switch (path) {
                case "/metrics":
                    return text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
                case "/healthz":
                    return status(health.get());
                case "/readyz":
                    return status(ready.get());
                default:
                    return text(HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
                            "not found; try /metrics, /healthz or /readyz\n");
            }
        }

        private static FullHttpResponse status(boolean ok) {
            return text(ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    HttpHeaderValues.APPLICATION_JSON.toString(),
                    ok ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}");
        }

        private static FullHttpResponse text(HttpResponseStatus status, String contentType, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            return response;
        }
    }
}
