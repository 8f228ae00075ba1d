package io.switchboard.signaling.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects what the signaling handlers log when something goes wrong (warnings, errors, and the "failed" line of a
 * connection handler's {@code exceptionCaught}, which swallows the exception), so that fuzz targets can fail on it.
 * The deliberate refusals of Netty's WebSocket frame decoder (protocol violations, frames too long) and a connection
 * that ends in the middle of a request (or is written to after it closed) are not findings.
 * Installed by {@code io/switchboard/signaling/fuzz/logback.xml}.
 */
public final class HandlerFailures extends AppenderBase<ILoggingEvent> {
    private static final List<String> FINDINGS = new CopyOnWriteArrayList<>();
    private static final List<String> REFUSALS = List.of("CorruptedWebSocketFrameException", "TooLongFrameException",
            "CorruptedFrameException", "WebSocketHandshakeException", "PrematureChannelClosureException",
            "ClosedChannelException");

    @Override
    protected void append(ILoggingEvent event) {
        String text = event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getClassName() + ": "
                + event.getThrowableProxy().getMessage());
        if (event.getLevel().isGreaterOrEqual(Level.WARN)
                || text.contains(" failed: ") && REFUSALS.stream().noneMatch(text::contains)) {
            FINDINGS.add(event.getLoggerName() + ": " + text);
        }
    }

    /** Takes the findings so far, leaving none. */
    static List<String> take() {
        List<String> copy = List.copyOf(FINDINGS);
        FINDINGS.clear();
        return copy;
    }
}
