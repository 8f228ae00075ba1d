package io.switchboard.client.stun;

import java.net.InetSocketAddress;
import java.time.Duration;

/** No response came: "no STUN response from 127.0.0.1:40000 after 7 attempts (39.5 s)" (RFC 8489 §6.2.1). */
public final class StunTimeoutException extends StunClientException {
    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress server;
    private final int attempts;
    private final Duration waited;

    StunTimeoutException(InetSocketAddress server, int attempts, Duration waited, String transport) {
        super("no STUN response from " + StunServerAddress.format(server)
                + (transport.isEmpty() ? "" : " over " + transport)
                + " after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + " (" + StunClientOptions.describe(waited) + ")");
        this.server = server;
        this.attempts = attempts;
        this.waited = waited;
    }

    public InetSocketAddress server() {
        return server;
    }

    /** Requests sent (Rc over UDP, 1 over TCP). */
    public int attempts() {
        return attempts;
    }

    public Duration waited() {
        return waited;
    }
}
