package io.switchboard.turn.server;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Channels written to during one read batch of the current event loop, flushed together when the batch ends
 * ({@code channelReadComplete}), so that relayed datagrams leave in few system calls (sendmmsg on epoll) instead of one
 * flush per packet.
 */
final class FlushQueue {
    private static final FastThreadLocal<FlushQueue> LOCAL = new FastThreadLocal<>() {
        @Override
        protected FlushQueue initialValue() {
            return new FlushQueue();
        }
    };

    private Channel[] channels = new Channel[8];
    private int size;

    private FlushQueue() {
    }

    /** Remembers that {@code channel} has unflushed writes. */
    static void add(Channel channel) {
        LOCAL.get().add0(channel);
    }

    /** Flushes every remembered channel. */
    static void flush() {
        LOCAL.get().flush0();
    }

    private void add0(Channel channel) {
        for (int i = 0; i < size; i++) {
            if (channels[i] == channel) {
                return;
            }
        }
        if (size == channels.length) {
            channels = java.util.Arrays.copyOf(channels, size * 2);
        }
        channels[size++] = channel;
    }

    private void flush0() {
        for (int i = 0; i < size; i++) {
            Channel channel = channels[i];
            channels[i] = null;
            channel.flush();
        }
        size = 0;
    }
}
