package io.switchboard.turn.allocation;

import java.net.InetSocketAddress;

/**
 * One relayed transport address of an allocation (RFC 8656 §2): the socket the server relays through. The server's
 * network layer implements it; allocation state only needs its address and a way to close it, which frees its port.
 */
public interface RelayEndpoint {
    /** The address advertised in XOR-RELAYED-ADDRESS: the external IP when one is configured, and the bound port. */
    InetSocketAddress relayedAddress();

    /** Closes the socket and returns its port to the pool; idempotent. */
    void close();
}
