package io.switchboard.turn.server;

import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.Lifetime;
import io.switchboard.stun.RequestedAddressFamily;
import io.switchboard.stun.StunMessage;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.Lifetimes;
import io.switchboard.turn.allocation.RelayEndpoint;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Optional;

/**
 * Refresh requests (RFC 8656 §7.3), after authentication:
 * <ol>
 *   <li>no allocation on the five-tuple: 437;</li>
 *   <li>a USERNAME other than the one that made the allocation: 441;</li>
 *   <li>REQUESTED-ADDRESS-FAMILY naming a family the allocation has no relay of: 443;</li>
 *   <li>LIFETIME 0 deletes the allocation at once, freeing its ports; otherwise the lifetime (default 600 s, at most
 *       3600 s) restarts;</li>
 *   <li>success: LIFETIME granted.</li>
 * </ol>
 */
final class RefreshHandler implements MethodHandler {
    private final ServerContext context;

    RefreshHandler(ServerContext context) {
        this.context = context;
    }

    @Override
    public boolean requiresAuthentication() {
        return true;
    }

    @Override
    public void handle(Exchange exchange) {
        StunMessage request = exchange.request();
        Allocation allocation = exchange.allocation();
        if (allocation == null || !allocation.isActive()) {
            exchange.fail(ErrorCode.ALLOCATION_MISMATCH);
            return;
        }
        if (!allocation.username().equals(exchange.auth().username())) {
            exchange.fail(ErrorCode.WRONG_CREDENTIALS);
            return;
        }
        Optional<RequestedAddressFamily> family = request.attribute(RequestedAddressFamily.class);
        if (family.isPresent() && !hasRelayOf(allocation, family.get().family())) {
            exchange.fail(ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
            return;
        }
        Duration lifetime = Lifetimes.forRefresh(request.attribute(Lifetime.class)
                .map(Lifetime::seconds).orElse(Lifetimes.DEFAULT_ALLOCATION.toSeconds()));
        context.table().refresh(allocation, lifetime);
        exchange.respond(exchange.success().add(new Lifetime(lifetime.toSeconds())));
    }

    private static boolean hasRelayOf(Allocation allocation, int family) {
        for (RelayEndpoint relay : allocation.relays()) {
            boolean v4 = relay.relayedAddress().getAddress() instanceof Inet4Address;
            if ((family == RequestedAddressFamily.IPV4) == v4) {
                return true;
            }
        }
        return false;
    }
}
