package io.switchboard.signaling.room;

import java.time.Duration;

/** Runs a task later; the room state uses it for resume grace periods without knowing the event loop. */
@FunctionalInterface
public interface Scheduler {

    /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
