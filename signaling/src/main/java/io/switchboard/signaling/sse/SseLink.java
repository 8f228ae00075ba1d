package io.switchboard.signaling.sse;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.switchboard.signaling.http.OrderedChannelWriter;
import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.protocol.ServerMessages;
import io.switchboard.signaling.room.PeerLink;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A peer's Server-Sent Events stream (WHATWG HTML, section 9.2): each message is one {@code data:} line followed by
 * a blank line. Messages never contain a line break, so one line always suffices.
 */
final class SseLink implements PeerLink {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private final OrderedChannelWriter writer;
    private volatile String closeReason;

    SseLink(Channel channel) {
        this.channel = channel;
        this.writer = new OrderedChannelWriter(channel,
                bytes -> new DefaultHttpContent(Unpooled.wrappedBuffer(DATA, bytes, END)),
                ch -> end("slow-consumer"));
    }

    @Override
    public void send(byte[] frame) {
        writer.send(frame);
    }

    @Override
    public void close(ErrorCode code, String message) {
        writer.send(ServerMessages.error(code, message, Optional.empty()));
        writer.then(() -> end(code.code()));
    }

    @Override
    public void retryLater(String message) {
        writer.then(() -> end("try-again-later"));
    }

    /** Writes a comment line that keeps proxies from timing the stream out; on the event loop. */
    void keepalive() {
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(KEEPALIVE)));
    }

    /** Ends the stream and closes the connection; on the event loop. */
    void end(String reason) {
        if (closeReason != null) {
            return;
        }
        closeReason = reason;
        if (channel.isActive()) {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Why the server ended this stream, or {@code null} if it did not. */
    String closeReason() {
        return closeReason;
    }
}
