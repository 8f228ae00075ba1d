package io.switchboard.client.signaling;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that queues every event, for code that prefers to pull: tests, benchmarks, simple bots. */
public final class SignalingEventQueue implements SignalingListener {
    private final BlockingQueue<SignalingEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onEvent(SignalingEvent event) {
        events.add(event);
    }

    /** The next event, waiting up to {@code timeout}; empty if none came. */
    public Optional<SignalingEvent> poll(Duration timeout) {
        try {
            return Optional.ofNullable(events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The next event of {@code type}, dropping events of other types on the way; throws
     * {@link IllegalStateException} if none comes within {@code timeout}.
     */
    public <T extends SignalingEvent> T next(Class<T> type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Optional<SignalingEvent> event = left > 0 ? poll(Duration.ofNanos(left)) : Optional.empty();
            if (event.isEmpty()) {
                throw new IllegalStateException("no " + type.getSimpleName() + " event within " + timeout);
            }
            if (type.isInstance(event.get())) {
                return type.cast(event.get());
            }
        }
    }

    /** Events queued and not taken yet. */
    public int size() {
        return events.size();
    }

    /** Takes every queued event of {@code type} out of the queue without waiting, dropping the others. */
    public <T extends SignalingEvent> java.util.List<T> drain(Class<T> type) {
        java.util.List<SignalingEvent> all = new java.util.ArrayList<>();
        events.drainTo(all);
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
