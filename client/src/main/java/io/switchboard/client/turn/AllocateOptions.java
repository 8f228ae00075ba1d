package io.switchboard.client.turn;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an Allocate asks for beyond the defaults (RFC 8656 §7.1): a lifetime, an address family or a dual allocation,
 * an even port (and the next one kept), a reserved port, DONT-FRAGMENT.
 *
 * @param lifetime         LIFETIME, or empty for the server's default
 * @param ipv6             REQUESTED-ADDRESS-FAMILY IPv6 instead of IPv4
 * @param additionalIpv6   ADDITIONAL-ADDRESS-FAMILY IPv6: an IPv4 and an IPv6 relayed address
 * @param evenPort         EVEN-PORT
 * @param reserveNextPort  the R bit of EVEN-PORT
 * @param reservationToken RESERVATION-TOKEN from an earlier allocation
 * @param dontFragment     DONT-FRAGMENT
 */
public record AllocateOptions(Optional<Duration> lifetime, boolean ipv6, boolean additionalIpv6, boolean evenPort,
                              boolean reserveNextPort, OptionalLong reservationToken, boolean dontFragment) {
    public static final AllocateOptions DEFAULTS = new AllocateOptions(Optional.empty(), false, false, false, false,
            OptionalLong.empty(), false);

    public AllocateOptions withLifetime(Duration value) {
        return new AllocateOptions(Optional.of(value), ipv6, additionalIpv6, evenPort, reserveNextPort, reservationToken,
                dontFragment);
    }

    public AllocateOptions withIpv6() {
        return new AllocateOptions(lifetime, true, additionalIpv6, evenPort, reserveNextPort, reservationToken, dontFragment);
    }

    public AllocateOptions withAdditionalIpv6() {
        return new AllocateOptions(lifetime, ipv6, true, evenPort, reserveNextPort, reservationToken, dontFragment);
    }

    public AllocateOptions withEvenPort(boolean reserveNext) {
        return new AllocateOptions(lifetime, ipv6, additionalIpv6, true, reserveNext, reservationToken, dontFragment);
    }

    public AllocateOptions withReservationToken(long token) {
        return new AllocateOptions(lifetime, ipv6, additionalIpv6, evenPort, reserveNextPort, OptionalLong.of(token),
                dontFragment);
    }

    public AllocateOptions withDontFragment() {
        return new AllocateOptions(lifetime, ipv6, additionalIpv6, evenPort, reserveNextPort, reservationToken, true);
    }
}
