package io.switchboard.signaling.http;

import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes encoded messages to a channel from any thread in exactly the order of the calls, batching the flush.
 *
 * <p>Netty's own {@code writeAndFlush} runs at once on the channel's event loop but is queued from other threads, so
 * two callers could overtake each other; this queue keeps one order for all of them, and is skipped when the caller is
 * on the event loop with nothing queued. Either way the flush comes in a later task, so a reply never reaches the client
 * before the handler that sent it has finished. A peer that stops reading is cut off, at once, once more than the
 * channel's high write-buffer water mark is pending.
 */
public final class OrderedChannelWriter {
    private static final AtomicIntegerFieldUpdater<OrderedChannelWriter> SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(OrderedChannelWriter.class, "scheduled");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<OrderedChannelWriter, Queue> QUEUE =
            AtomicReferenceFieldUpdater.newUpdater(OrderedChannelWriter.class, Queue.class, "queue");

    private final Channel channel;
    private final Function<byte[], Object> encoder;
    private final Consumer<Channel> onSlowConsumer;
    /** Made by the first caller that has to queue, which on a single event loop is rarely anyone. */
    private volatile Queue<Object> queue;
    private final Runnable drain = this::drain;
    /** 1 from the moment a drain is scheduled until a drain finds the queue empty. */
    private volatile int scheduled;
    /** Whether a message was written on the event loop and awaits the next drain's flush; event loop only. */
    private boolean unflushed;

    /**
     * A writer to {@code channel} that turns each message into a channel message with {@code encoder}, and calls
     * {@code onSlowConsumer} on the event loop when the peer does not keep up.
     */
    public OrderedChannelWriter(Channel channel, Function<byte[], Object> encoder, Consumer<Channel> onSlowConsumer) {
        this.channel = channel;
        this.encoder = encoder;
        this.onSlowConsumer = onSlowConsumer;
    }

    /** Writes {@code message} at once when called on the event loop with nothing queued, else queues it. */
    public void send(byte[] message) {
        if (channel.eventLoop().inEventLoop() && nothingQueued()) {
            if (channel.isActive()) {
                channel.write(encoder.apply(message), channel.voidPromise());
                unflushed = true;
                schedule();
            }
            return;
        }
        queue().offer(message);
        schedule();
    }

    /** Queues {@code action} to run on the event loop after every message queued before it was written. */
    public void then(Runnable action) {
        queue().offer(action);
        schedule();
    }

    private boolean nothingQueued() {
        Queue<Object> q = queue;
        return q == null || q.isEmpty();
    }

    private Queue<Object> queue() {
        Queue<Object> q = queue;
        if (q == null) {
            q = new ConcurrentLinkedQueue<>();
            if (!QUEUE.compareAndSet(this, null, q)) {
                q = queue;
            }
        }
        return q;
    }

    private void schedule() {
        if (SCHEDULED.compareAndSet(this, 0, 1)) {
            channel.eventLoop().execute(drain);
        }
    }

    private void drain() {
        boolean wrote = unflushed;
        unflushed = false;
        Queue<Object> q = queue;
        Object next;
        while (q != null && (next = q.poll()) != null) {
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
        if (wrote || unflushed) {
            unflushed = false;
            channel.flush();
        }
        scheduled = 0;
        if (!nothingQueued()) {
            schedule();
        }
        cutOffIfSlow();
    }

    private void cutOffIfSlow() {
        if (channel.isActive() && !channel.isWritable()) {
            onSlowConsumer.accept(channel);
            // A goodbye cannot get past what the peer does not read, and waiting for it would let the buffer grow
            // without bound: close now, dropping what is queued (a peer that resumes gets it from its backlog).
            channel.close();
        }
    }
}
