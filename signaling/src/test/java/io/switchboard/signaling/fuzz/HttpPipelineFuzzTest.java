package io.switchboard.signaling.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.signaling.IceServer;
import io.switchboard.signaling.IceServers;
import io.switchboard.signaling.IceServersProvider;
import io.switchboard.signaling.SignalingConfig;
import io.switchboard.signaling.http.HttpRouter;
import io.switchboard.signaling.http.HttpRoutes;
import io.switchboard.signaling.http.RouteResponse;
import io.switchboard.signaling.protocol.MessageDecoder;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.room.RoomDirectory;
import io.switchboard.signaling.room.Scheduler;
import io.switchboard.signaling.session.SessionContext;
import io.switchboard.signaling.session.SignalingMetrics;
import io.switchboard.signaling.sse.SseSessions;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the HTTP listener's real pipeline (HTTP codec, aggregator, idle handler and {@link HttpRouter}, built as
 * {@code SignalingServer} builds it) in an {@link EmbeddedChannel}, one connection per input: raw bytes; well-formed
 * requests with fuzzed methods, paths (traversal included), headers and bodies to every endpoint; or a WebSocket
 * upgrade followed by fuzzed frames (any opcode, fragmentation, masking, length encoding, payloads that are protocol v1
 * messages or garbage), all cut into chunks at arbitrary places.
 *
 * <p>Oracles: no handler fails (nothing reaches {@code exceptionCaught} other than the WebSocket decoder's deliberate
 * refusals, nothing is logged at WARN), nothing reaches the end of the pipeline, and every inbound buffer is released.
 */
class HttpPipelineFuzzTest {
    private static final AtomicLong EXECUTIONS = new AtomicLong();
    private static final int MAX_MESSAGE = 4096;
    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "OPTIONS", "DELETE", "CONNECT", "G\u00c9T", ""};
    private static final String[] PATHS = {"/", "/ws", "/api/events", "/api/signal", "/api/ice-servers",
            "/api/ice-servers?user=alice", "/api/ice-servers?user=%00%ff", "/api/nope", "/index.html", "/js/app.js",
            "/css/", "/empty-dir", "/../outside-web-root.txt", "/%2e%2e/outside-web-root.txt", "/webjars/demo/1.2.3/demo.js",
            "/webjars/../../etc/passwd", "/hello", "//", "*", "http://x/ws", "/api/signal?session=x"};
    private static final String[] HEADERS = {"Upgrade: websocket", "Connection: Upgrade", "Connection: close",
            "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Origin: http://evil.example", "Content-Length: 5", "Content-Length: 99999999", "Transfer-Encoding: chunked",
            "If-None-Match: *", "If-Modified-Since: Mon, 01 Jan 2035 00:00:00 GMT", "Switchboard-Session: abc",
            "Expect: 100-continue", "Host: x"};

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final Set<PeerLink> openLinks = ConcurrentHashMap.newKeySet();
    private final SessionContext context;
    private final SseSessions sse;
    private final HttpRouter router;
    private final SignalingConfig config;

    HttpPipelineFuzzTest() {
        config = SignalingConfig.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .maxMessageBytes(MAX_MESSAGE).resumeBacklogBytes(MAX_MESSAGE * 4L).roomCapacity(4)
                .allowedOrigins(List.of("http://localhost")).build();
        Scheduler scheduler = (delay, task) -> {
            scheduled.add(task);
            return () -> scheduled.remove(task);
        };
        RoomDirectory directory = new RoomDirectory(config.roomCapacity(), config.resumeGrace(), config.resumeBacklog(),
                config.resumeBacklogBytes(), scheduler, new RoomDirectory.Listener() { });
        SignalingMetrics metrics = new SignalingMetrics(registry);
        metrics.watch(directory);
        IceServersProvider ice = user -> new IceServers("u", "p", Duration.ofHours(1), List.of("turn:127.0.0.1:3478"),
                List.of(new IceServer(List.of("stun:127.0.0.1:3478"), Optional.empty(), Optional.empty())));
        context = new SessionContext(config, new MessageDecoder(MAX_MESSAGE), directory, metrics, Optional.empty(), ice);
        sse = new SseSessions(context, openLinks);
        HttpRoutes routes = HttpRoutes.builder()
                .get("/hello", request -> RouteResponse.text(200, "hello"))
                .build();
        router = new HttpRouter(context, routes, sse, openLinks, HttpPipelineFuzzTest.class.getClassLoader(), 4 * MAX_MESSAGE);
    }

    @FuzzTest(maxDuration = "10s")
    void connection(FuzzedDataProvider data) {
        EXECUTIONS.incrementAndGet();
        HandlerFailures.take();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("http-codec", new HttpServerCodec(4096, 8192, 8192));
        channel.pipeline().addLast("http-aggregator", new HttpObjectAggregator(4 * MAX_MESSAGE));
        channel.pipeline().addLast(HttpRouter.IDLE_NAME, new IdleStateHandler(0, 0, 30, TimeUnit.SECONDS));
        channel.pipeline().addLast(HttpRouter.NAME, router);

        byte[] bytes;
        switch (data.consumeInt(0, 2)) {
            case 0:
                bytes = data.consumeBytes(data.consumeInt(0, 2000));
                break;
            case 1:
                bytes = requests(data);
                break;
            default:
                bytes = webSocket(data);
        }
        List<ByteBuf> chunks = new ArrayList<>();
        int offset = 0;
        while (offset < bytes.length && channel.isOpen()) {
            int length = Math.min(bytes.length - offset, data.remainingBytes() > 0 ? data.consumeInt(1, 700) : bytes.length);
            ByteBuf chunk = Unpooled.directBuffer(length).writeBytes(bytes, offset, length);
            chunks.add(chunk);
            channel.writeInbound(chunk);
            offset += length;
            channel.runPendingTasks();
            releaseAll(channel.outboundMessages());
            releaseAll(channel.inboundMessages());
        }
        channel.checkException();
        channel.close();
        channel.runPendingTasks();
        channel.finishAndReleaseAll();
        for (Runnable task : List.copyOf(scheduled)) {
            scheduled.remove(task);
            task.run();
        }
        for (ByteBuf chunk : chunks) {
            assertThat(chunk.refCnt()).as("inbound buffer released").isZero();
        }
        assertThat(HandlerFailures.take()).as("handler failures").isEmpty();
        assertThat(registry.get("switchboard.signaling.errors").tag("code", "internal-error").counter().count()).isZero();
    }

    private static void releaseAll(java.util.Queue<Object> messages) {
        for (Object message; (message = messages.poll()) != null; ) {
            ReferenceCountUtil.release(message);
        }
    }

    /** One to three HTTP/1.1 requests with fuzzed parts. */
    private static byte[] requests(FuzzedDataProvider data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = data.consumeInt(1, 3);
        for (int i = 0; i < count; i++) {
            String method = data.consumeInt(0, 4) == 0 ? data.consumeString(8) : METHODS[data.consumeInt(0, METHODS.length - 1)];
            String path = data.consumeInt(0, 4) == 0 ? data.consumeString(60) : PATHS[data.consumeInt(0, PATHS.length - 1)];
            StringBuilder head = new StringBuilder(method).append(' ').append(path)
                    .append(data.consumeBoolean() ? " HTTP/1.1" : " HTTP/1.0").append("\r\n");
            int headers = data.consumeInt(0, 6);
            for (int h = 0; h < headers; h++) {
                head.append(data.consumeInt(0, 5) == 0 ? data.consumeString(40) : HEADERS[data.consumeInt(0, HEADERS.length - 1)])
                        .append("\r\n");
            }
            byte[] body = data.consumeBytes(data.consumeInt(0, 300));
            if (data.consumeBoolean()) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** A valid upgrade to {@code /ws}, then WebSocket frames built from the input. */
    private static byte[] webSocket(FuzzedDataProvider data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        int frames = data.consumeInt(1, 8);
        for (int i = 0; i < frames && data.remainingBytes() > 0; i++) {
            int[] opcodes = {1, 1, 1, 0, 2, 8, 9, 10};
            int opcode = data.consumeInt(0, 9) == 0 ? data.consumeInt(0, 15) : opcodes[data.consumeInt(0, opcodes.length - 1)];
            boolean fin = data.consumeInt(0, 3) != 0;
            int rsv = data.consumeInt(0, 19) == 0 ? data.consumeInt(1, 7) : 0;
            byte[] payload = data.consumeBoolean() ? message(data) : data.consumeBytes(data.consumeInt(0, 300));
            boolean masked = data.consumeInt(0, 19) != 0;
            out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
            int lengthStyle = data.consumeInt(0, 9);
            if (payload.length < 126 && lengthStyle != 0) {
                out.write((masked ? 0x80 : 0) | payload.length);
            } else if (lengthStyle != 1) {
                out.write((masked ? 0x80 : 0) | 126);
                out.write(payload.length >>> 8);
                out.write(payload.length);
            } else {
                out.write((masked ? 0x80 : 0) | 127);
                long length = data.consumeBoolean() ? payload.length : data.consumeLong();
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) (length >>> shift));
                }
            }
            byte[] mask = {(byte) data.consumeInt(0, 255), 1, 2, 3};
            if (masked) {
                out.writeBytes(mask);
            }
            for (int b = 0; b < payload.length; b++) {
                out.write(masked ? payload[b] ^ mask[b & 3] : payload[b]);
            }
        }
        return out.toByteArray();
    }

    private static byte[] message(FuzzedDataProvider data) {
        String[] messages = {"{\"type\":\"join\",\"room\":\"r\"}", "{\"type\":\"ping\",\"id\":7}",
                "{\"type\":\"signal\",\"to\":\"x\",\"data\":{}}", "{\"type\":\"leave\"}",
                "{\"type\":\"join\",\"room\":\"r\",\"resume\":\"a.b\"}"};
        String base = messages[data.consumeInt(0, messages.length - 1)];
        return (data.consumeBoolean() ? base : base + data.consumeString(30)).getBytes(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void report() {
        System.out.println("fuzz executions HttpPipelineFuzzTest.connection: " + EXECUTIONS.get());
    }
}
