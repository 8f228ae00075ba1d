package io.switchboard.app;

import ch.qos.logback.classic.LoggerContext;
import io.switchboard.app.cli.SwitchboardCommand;
import org.slf4j.LoggerFactory;

/** Entry point of {@code bin/switchboard}. */
public final class Main {
    /** Netty's system property for its buffer leak detector. */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";
    /** Its older name, which Netty still reads. */
    static final String LEGACY_LEAK_DETECTION = "io.netty.leakDetectionLevel";

    private Main() {
    }

    public static void main(String[] args) {
        disableLeakDetectionUnlessSet();
        int status = SwitchboardCommand.run(args, System.getenv());
        flushLogs();
        System.exit(status);
    }

    /** Stops logback, which writes out what its background appender still holds (logback.xml). */
    static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        }
    }

    /** The leak detector samples and tracks buffers on the relay's hot path; tests and -D can still turn it on. */
    static void disableLeakDetectionUnlessSet() {
        if (System.getProperty(LEAK_DETECTION) == null && System.getProperty(LEGACY_LEAK_DETECTION) == null) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
    }
}
