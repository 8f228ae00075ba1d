package io.switchboard.signaling.http;

import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes encoded messages to a channel from any thread in exactly the order of the calls, batching the flush.
 *
 * <p>Netty's own {@code writeAndFlush} runs at once on the channel's event loop but is queued from other threads, so
 * two callers could overtake each other; this queue keeps one order for all of them. A peer that stops reading is cut
 * off, at once, once more than the channel's high write-buffer water mark is pending.
 */
public final class OrderedChannelWriter {
    private final Channel channel;
    private final Function<byte[], Object> encoder;
    private final Consumer<Channel> onSlowConsumer;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    /**
     * A writer to {@code channel} that turns each message into a channel message with {@code encoder}, and calls
     * {@code onSlowConsumer} on the event loop when the peer does not keep up.
     */
    public OrderedChannelWriter(Channel channel, Function<byte[], Object> encoder, Consumer<Channel> onSlowConsumer) {
        this.channel = channel;
        this.encoder = encoder;
        this.onSlowConsumer = onSlowConsumer;
    }

    /** Queues {@code message} for writing. */
    public void send(byte[] message) {
        queue.offer(message);
        schedule();
    }

    /** Queues {@code action} to run on the event loop after every message queued before it was written. */
    public void then(Runnable action) {
        queue.offer(action);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    private void drain() {
        boolean wrote = false;
        Object next;
        while ((next = queue.poll()) != null) {
            if (next instanceof Runnable) {
                if (wrote) {
                    channel.flush();
                    wrote = false;
                }
                ((Runnable) next).run();
            } else if (channel.isActive()) {
                channel.write(encoder.apply((byte[]) next), channel.voidPromise());
                wrote = true;
            }
        }
        if (wrote) {
            channel.flush();
        }
        scheduled.set(false);
        if (!queue.isEmpty()) {
            schedule();
        }
        if (channel.isActive() && !channel.isWritable()) {
            onSlowConsumer.accept(channel);
            // A goodbye cannot get past what the peer does not read, and waiting for it would let the buffer grow
            // without bound: close now, dropping what is queued (a peer that resumes gets it from its backlog).
            channel.close();
        }
    }
}
