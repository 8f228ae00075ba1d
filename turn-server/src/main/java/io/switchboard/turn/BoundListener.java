package io.switchboard.turn;

import io.switchboard.turn.allocation.Transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One socket the server listens on, with the address it actually bound (a port of 0 is resolved).
 *
 * @param name      {@code turn-udp}, {@code turn-tcp}, {@code turns}, or for RFC 5780 {@code stun-alt-port},
 *                  {@code stun-alt-ip}, {@code stun-alt-ip-port}: what {@code listening <name> <addr>:<port>} prints
 * @param transport the client transport it serves
 * @param address   the bound address and port
 */
public record BoundListener(String name, Transport transport, InetSocketAddress address) {
    public BoundListener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
    }
}
