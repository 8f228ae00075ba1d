package io.switchboard.client.turn;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A successful Allocate (RFC 8656 §7.3): the relayed addresses (one, or IPv4 and IPv6), the client's address as the
 * server saw it, the lifetime granted, and the RESERVATION-TOKEN when EVEN-PORT with R was asked for.
 */
public record TurnAllocation(List<InetSocketAddress> relayedAddresses, InetSocketAddress mappedAddress, Duration lifetime,
                             OptionalLong reservationToken) {
    public TurnAllocation {
        relayedAddresses = List.copyOf(relayedAddresses);
        Objects.requireNonNull(mappedAddress, "mappedAddress");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(reservationToken, "reservationToken");
        if (relayedAddresses.isEmpty()) {
            throw new IllegalArgumentException("an allocation has at least one relayed address");
        }
    }

    /** The first relayed address: the one of the requested family. */
    public InetSocketAddress relayedAddress() {
        return relayedAddresses.get(0);
    }
}
