package io.switchboard.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.switchboard.app.config.SwitchboardConfig.LogFormat;
import io.switchboard.app.config.SwitchboardConfig.LogLevel;
import org.slf4j.LoggerFactory;

/** Applies the configured log format and level; text comes from logback.xml, JSON replaces the console encoder. */
public final class LogSetup {
    private LogSetup() {
    }

    /** Sets the format (once, at start) and the level. */
    public static void apply(LogFormat format, LogLevel level) {
        level(level);
        if (format != LogFormat.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithContext(false);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDERR_JSON");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
    }

    /** Sets the level of Switchboard's own loggers and of the root logger; takes effect at once. */
    public static void level(LogLevel level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level logback = Level.toLevel(level.name());
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(logback);
        context.getLogger("io.switchboard").setLevel(logback);
    }
}
