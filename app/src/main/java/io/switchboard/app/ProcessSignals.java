package io.switchboard.app;

import io.switchboard.app.config.ConfigSettings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The process signals of {@code switchboard serve}: SIGHUP reloads the configuration; SIGTERM and SIGINT drain and
 * stop with exit code 0, and a second one stops at once.
 */
public final class ProcessSignals {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessSignals.class);
    /** How long a forced stop may take before the process halts without further cleanup. */
    private static final Duration FORCED_STOP_LIMIT = Duration.ofSeconds(10);

    private ProcessSignals() {
    }

    /** Installs the handlers; {@code settings} reads flags, environment and file afresh for each reload. */
    public static void install(Switchboard switchboard, Supplier<ConfigSettings> settings) {
        AtomicBoolean stopping = new AtomicBoolean();
        handle("HUP", signal -> run("switchboard-reload", () -> {
            LOG.info("SIGHUP: reloading the configuration");
            switchboard.reload(settings);
        }));
        for (String name : new String[] {"TERM", "INT"}) {
            handle(name, signal -> {
                if (stopping.compareAndSet(false, true)) {
                    LOG.info("SIG{}: draining (a second SIGTERM or SIGINT stops at once)", name);
                    run("switchboard-drain", () -> switchboard.drain(switchboard.config().drainTimeout()));
                } else {
                    LOG.info("SIG{} again: stopping now", name);
                    switchboard.stopNow();
                    run("switchboard-stop", () -> stopWithin(switchboard, FORCED_STOP_LIMIT));
                }
            });
        }
    }

    private static void handle(String name, sun.misc.SignalHandler handler) {
        try {
            Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIG{} ({}); it keeps the JVM's default action", name, e.getMessage());
        }
    }

    /**
     * Lets the draining thread, told to stop now, close {@code switchboard}; closes it here if that has not happened
     * within a second, and halts the process with status 1 if closing does not finish within {@code limit}.
     */
    private static void stopWithin(Switchboard switchboard, Duration limit) {
        try {
            if (switchboard.awaitClosed(Duration.ofSeconds(1))) {
                return;
            }
            Thread closer = new Thread(switchboard::close, "switchboard-close");
            closer.setDaemon(true);
            closer.start();
            if (!switchboard.awaitClosed(limit)) {
                LOG.error("stopping took longer than {}s; halting", limit.toSeconds());
                Runtime.getRuntime().halt(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Signal handlers must return quickly: the work runs on its own thread. */
    private static void run(String threadName, Runnable work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed", threadName, e);
            }
        }, threadName);
        thread.start();
    }
}
