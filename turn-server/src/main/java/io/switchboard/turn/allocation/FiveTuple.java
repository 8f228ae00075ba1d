package io.switchboard.turn.allocation;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The client's five-tuple (RFC 8656 §2): client address and port, server address and port, and transport. It names an
 * allocation: at most one allocation exists per five-tuple (RFC 8656 §7.2 step 2).
 */
public record FiveTuple(InetSocketAddress client, InetSocketAddress server, Transport transport) {
    public FiveTuple {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(transport, "transport");
    }

    @Override
    public String toString() {
        return transport.tag() + " " + client.getAddress().getHostAddress() + ":" + client.getPort() + " -> "
                + server.getAddress().getHostAddress() + ":" + server.getPort();
    }
}
