package io.switchboard.signaling.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.switchboard.signaling.http.OrderedChannelWriter;
import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.protocol.ServerMessages;
import io.switchboard.signaling.room.PeerLink;
import java.util.Optional;

/** A peer's WebSocket: each message is one text frame (RFC 6455 section 5.6). */
final class WebSocketLink implements PeerLink {
    /** Close code for a connection whose peer was taken over by a resumed connection. */
    static final int CLOSE_SESSION_REPLACED = 4000;
    /** Close code for a connection whose peer could not be resumed and has left. */
    static final int CLOSE_RESUME_FAILED = 4001;
    /** Close code (RFC 6455 registry: Try Again Later) for a node that cannot reach the cluster's Redis. */
    static final int CLOSE_TRY_AGAIN_LATER = 1013;

    private final Channel channel;
    private final OrderedChannelWriter writer;
    private volatile String closeReason;

    WebSocketLink(Channel channel) {
        this.channel = channel;
        this.writer = new OrderedChannelWriter(channel, bytes -> new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)),
                ch -> closeNow(1008, "slow-consumer", "the client does not read fast enough"));
    }

    @Override
    public void send(byte[] frame) {
        writer.send(frame);
    }

    @Override
    public void close(ErrorCode code, String message) {
        writer.send(ServerMessages.error(code, message, Optional.empty()));
        writer.then(() -> closeNow(closeStatus(code), code.code(), message));
    }

    @Override
    public void retryLater(String message) {
        writer.then(() -> closeNow(CLOSE_TRY_AGAIN_LATER, "try-again-later", message));
    }

    /** Why the server closed this connection, or {@code null} if it did not. */
    String closeReason() {
        return closeReason;
    }

    private void closeNow(int status, String reason, String text) {
        if (closeReason != null) {
            return;
        }
        closeReason = reason;
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(status, text)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static int closeStatus(ErrorCode code) {
        switch (code) {
            case SESSION_REPLACED:
                return CLOSE_SESSION_REPLACED;
            case RESUME_FAILED:
                return CLOSE_RESUME_FAILED;
            case SHUTTING_DOWN:
                return 1001;
            case INTERNAL_ERROR:
                return 1011;
            case UNAVAILABLE:
                return CLOSE_TRY_AGAIN_LATER;
            default:
                return 1008;
        }
    }
}
