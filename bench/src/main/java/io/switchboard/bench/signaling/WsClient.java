package io.switchboard.bench.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One signaling client on one WebSocket: greets, learns its partner, then sends and receives probe messages whose
 * payload carries the send time ({@code "t":nanos}) so the receiver in this same process measures relay latency.
 */
public final class WsClient extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    /** Receives the send time of every probe this client gets. */
    public interface ProbeListener {
        void onProbe(long sentNanos);
    }

    static final String PROBE_MARKER = "\"t\":";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MARKER = PROBE_MARKER.getBytes(StandardCharsets.US_ASCII);

    private final SignalingProtocol protocol;
    private final String name;
    private final String room;
    private final ProbeListener listener;
    private final CompletableFuture<WsClient> ready = new CompletableFuture<>();
    private Channel channel;
    private volatile String self;
    private volatile String partner;
    boolean dirty;

    /**
     * @param name    the id the client asks for in its URL (PeerJS), also its id until the server gives one
     * @param partner the partner's id when known in advance (PeerJS), or {@code null} to learn it (Switchboard)
     */
    WsClient(SignalingProtocol protocol, String name, String partner, String room, ProbeListener listener) {
        this.protocol = protocol;
        this.name = name;
        this.self = partner == null ? null : name;
        this.partner = partner;
        this.room = room;
        this.listener = listener;
    }

    CompletableFuture<WsClient> ready() {
        return ready;
    }

    String name() {
        return name;
    }

    Channel channel() {
        return channel;
    }

    void self(String id) {
        this.self = id;
    }

    void partner(String id) {
        this.partner = id;
    }

    boolean knowsPartner() {
        return self != null && partner != null;
    }

    String partner() {
        return partner;
    }

    void error(String what) {
        ready.completeExceptionally(new IllegalStateException(what));
    }

    /** Writes (without flushing) one probe to the partner; returns the send time it carries. */
    long writeProbe(String filler) {
        long now = System.nanoTime();
        String payload = "{\"sdp\":\"" + filler + "\"," + PROBE_MARKER + now + "}";
        channel.write(new TextWebSocketFrame(protocol.message(partner, payload)), channel.voidPromise());
        return now;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            channel = ctx.channel();
            String greeting = protocol.greeting(room);
            if (!greeting.isEmpty()) {
                ctx.writeAndFlush(new TextWebSocketFrame(greeting));
            }
        } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            error("WebSocket handshake timed out");
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws Exception {
        ByteBuf text = frame.content();
        long sent = probeTime(text);
        if (sent >= 0) {
            listener.onProbe(sent);
            return;
        }
        JsonNode message = JSON.readTree(text.toString(StandardCharsets.UTF_8));
        if (protocol.onControl(this, message)) {
            ready.complete(this);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        error("connection closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        error(String.valueOf(cause.getMessage()));
        ctx.close();
    }

    /** The number after {@code "t":} in the frame, or -1 when the frame is not a probe. */
    static long probeTime(ByteBuf text) {
        int start = text.readerIndex();
        int end = text.writerIndex() - MARKER.length;
        for (int i = end; i >= start; i--) {
            boolean match = true;
            for (int k = 0; k < MARKER.length && match; k++) {
                match = text.getByte(i + k) == MARKER[k];
            }
            if (match) {
                int at = i + MARKER.length;
                while (at < text.writerIndex() && text.getByte(at) == ' ') {
                    at++;
                }
                long value = 0;
                int digits = 0;
                while (at < text.writerIndex() && text.getByte(at) >= '0' && text.getByte(at) <= '9') {
                    value = value * 10 + (text.getByte(at++) - '0');
                    digits++;
                }
                return digits == 0 ? -1 : value;
            }
        }
        return -1;
    }
}
