package io.switchboard.turn.server;

import io.netty.channel.EventLoop;
import io.switchboard.stun.AdditionalAddressFamily;
import io.switchboard.stun.AddressErrorCode;
import io.switchboard.stun.AlternateServer;
import io.switchboard.stun.DontFragment;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.EvenPort;
import io.switchboard.stun.Lifetime;
import io.switchboard.stun.RequestedAddressFamily;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.ReservationToken;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.XorMappedAddress;
import io.switchboard.stun.XorRelayedAddress;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.AllocationException;
import io.switchboard.turn.allocation.CloseReason;
import io.switchboard.turn.allocation.Lifetimes;
import io.switchboard.turn.allocation.RelayEndpoint;
import io.switchboard.turn.allocation.Transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Allocate requests (RFC 8656 §7.2, RFC 6156 §4.2), after the dispatcher authenticated them (step 1):
 * <ol start="2">
 *   <li>the five-tuple already has an allocation: 437 (a retransmission was answered from the response cache; one whose
 *       allocation is still being set up is ignored);</li>
 *   <li>the server drains, or holds {@code --redirect-threshold} allocations: 300 Try Alternate with an ALTERNATE-SERVER
 *       of the client's address family, signed like any answer to an authenticated request (RFC 8489 §10; not over
 *       TLS, whose alternate would need ALTERNATE-DOMAIN); with no such alternate a draining server answers 508 and a
 *       loaded one goes on;</li>
 *   <li>REQUESTED-TRANSPORT missing: 400; not UDP: 442, except TCP with {@code --tcp-relay} (RFC 6062 §5.1), which
 *       needs a TCP or TLS client connection and no EVEN-PORT, RESERVATION-TOKEN, DONT-FRAGMENT or
 *       ADDITIONAL-ADDRESS-FAMILY (400);</li>
 *   <li>DONT-FRAGMENT is accepted: relay sockets send with the DF bit (Linux path MTU discovery);</li>
 *   <li>RESERVATION-TOKEN together with EVEN-PORT, REQUESTED-ADDRESS-FAMILY or ADDITIONAL-ADDRESS-FAMILY: 400; an
 *       unknown or expired token: 508;</li>
 *   <li>EVEN-PORT with the R bit together with ADDITIONAL-ADDRESS-FAMILY: 400;</li>
 *   <li>REQUESTED-ADDRESS-FAMILY with ADDITIONAL-ADDRESS-FAMILY: 400; a family this server has no relay address
 *       for: 440; ADDITIONAL-ADDRESS-FAMILY other than IPv6: 400 (an unavailable IPv6 relay yields an IPv4-only
 *       allocation with ADDRESS-ERROR-CODE 440);</li>
 *   <li>quotas: 486 when the user holds too many allocations, 508 when the server does;</li>
 *   <li>relay port (even, and the next one kept under a token with R) from the pool: 508 when none is free;</li>
 *   <li>lifetime: LIFETIME capped at 3600 s, never below the default 600 s;</li>
 *   <li>success: XOR-RELAYED-ADDRESS per relay, LIFETIME, RESERVATION-TOKEN, XOR-MAPPED-ADDRESS.</li>
 * </ol>
 */
final class AllocateHandler implements MethodHandler {
    private final ServerContext context;

    AllocateHandler(ServerContext context) {
        this.context = context;
    }

    @Override
    public boolean requiresAuthentication() {
        return true;
    }

    @Override
    public void handle(Exchange exchange) {
        StunMessage request = exchange.request();
        Allocation existing = exchange.allocation();
        if (existing != null) {
            if (existing.state() == Allocation.State.PENDING && existing.createdBy().equals(request.transactionId())) {
                return;
            }
            exchange.fail(ErrorCode.ALLOCATION_MISMATCH);
            return;
        }
        if (redirected(exchange)) {
            return;
        }
        Optional<RequestedTransport> transport = request.attribute(RequestedTransport.class);
        if (transport.isEmpty()) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "REQUESTED-TRANSPORT is required");
            return;
        }
        boolean tcp = transport.get().protocol() == RequestedTransport.TCP && context.config().tcpRelay();
        if (transport.get().protocol() != RequestedTransport.UDP && !tcp) {
            exchange.fail(ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL);
            return;
        }
        if (tcp && (!exchange.link().isStream() || request.attribute(EvenPort.class).isPresent()
                || request.attribute(ReservationToken.class).isPresent()
                || request.attribute(DontFragment.class).isPresent()
                || request.attribute(AdditionalAddressFamily.class).isPresent())) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "a TCP relay needs a TCP or TLS connection and no EVEN-PORT,"
                    + " RESERVATION-TOKEN, DONT-FRAGMENT or ADDITIONAL-ADDRESS-FAMILY");
            return;
        }
        Optional<ReservationToken> token = request.attribute(ReservationToken.class);
        Optional<EvenPort> evenPort = request.attribute(EvenPort.class);
        Optional<RequestedAddressFamily> requested = request.attribute(RequestedAddressFamily.class);
        Optional<AdditionalAddressFamily> additional = request.attribute(AdditionalAddressFamily.class);
        if (token.isPresent() && (evenPort.isPresent() || requested.isPresent() || additional.isPresent())) {
            exchange.failWith(ErrorCode.BAD_REQUEST,
                    "RESERVATION-TOKEN excludes EVEN-PORT, REQUESTED-ADDRESS-FAMILY and ADDITIONAL-ADDRESS-FAMILY");
            return;
        }
        if (evenPort.isPresent() && evenPort.get().reserveNextPort() && additional.isPresent()) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "EVEN-PORT with R excludes ADDITIONAL-ADDRESS-FAMILY");
            return;
        }
        if (requested.isPresent() && additional.isPresent()) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "REQUESTED-ADDRESS-FAMILY excludes ADDITIONAL-ADDRESS-FAMILY");
            return;
        }
        if (additional.isPresent() && additional.get().family() != AdditionalAddressFamily.IPV6) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "ADDITIONAL-ADDRESS-FAMILY must be IPv6");
            return;
        }
        RelaySockets relays = context.relays();
        RelaySockets.Family primary;
        if (token.isPresent()) {
            primary = relays.familyHolding(token.get().token());
            if (primary == null) {
                exchange.failWith(ErrorCode.INSUFFICIENT_CAPACITY, "reservation token unknown or expired");
                return;
            }
        } else {
            primary = relays.family(requested.map(RequestedAddressFamily::family).orElse(RequestedAddressFamily.IPV4));
            if (primary == null) {
                exchange.fail(ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
                return;
            }
        }
        RelaySockets.Family secondary = additional.isPresent() ? relays.family(RequestedAddressFamily.IPV6) : null;
        RelaySockets.PortChoice choice = token.isPresent() ? new RelaySockets.Token(token.get().token())
                : evenPort.isPresent() ? new RelaySockets.EvenPort(evenPort.get().reserveNextPort())
                : new RelaySockets.AnyPort();

        Exchange.Authenticated auth = exchange.auth();
        Allocation allocation;
        try {
            allocation = context.table().reserve(exchange.fiveTuple(), auth.username(), auth.quotaKey(),
                    exchange.policy().credentials().realm(), request.transactionId());
        } catch (AllocationException e) {
            exchange.failWith(e.errorCode(), ErrorCode.reasonPhrase(e.errorCode()));
            return;
        }
        EventLoop loop = exchange.link().channel().eventLoop();
        List<RelayEndpoint> opened = new ArrayList<>(2);
        long reservationToken = 0;
        try {
            if (tcp) {
                opened.add(relays.openTcp(primary, context, allocation, exchange.link(), loop));
            } else {
                RelaySockets.Opened first = relays.open(primary, choice, context, allocation, exchange.link(), loop);
                opened.add(first.relay());
                reservationToken = first.reservationToken();
            }
            if (secondary != null) {
                opened.add(relays.open(secondary, new RelaySockets.AnyPort(), context, allocation, exchange.link(), loop).relay());
            }
        } catch (AllocationException e) {
            opened.forEach(RelayEndpoint::close);
            context.table().remove(allocation, CloseReason.FAILED);
            exchange.failWith(e.errorCode(), ErrorCode.reasonPhrase(e.errorCode()));
            return;
        }
        Duration lifetime = Lifetimes.forAllocate(request.attribute(Lifetime.class)
                .map(Lifetime::seconds).orElse(Lifetimes.DEFAULT_ALLOCATION.toSeconds()));
        context.table().activate(allocation, opened, lifetime, request.attribute(DontFragment.class).isPresent());
        context.metrics().allocationStarted();

        StunMessage.Builder response = exchange.success();
        for (RelayEndpoint relay : opened) {
            response.add(new XorRelayedAddress(relay.relayedAddress()));
        }
        if (additional.isPresent() && secondary == null) {
            response.add(new AddressErrorCode(AdditionalAddressFamily.IPV6, ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED,
                    ErrorCode.reasonPhrase(ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED)));
        }
        response.add(new Lifetime(lifetime.toSeconds()));
        if (reservationToken != 0) {
            response.add(new ReservationToken(reservationToken));
        }
        response.add(new XorMappedAddress(exchange.fiveTuple().client()));
        exchange.respond(response);
    }

    /** Step 3: sends a new allocation elsewhere when this server drains or is loaded; true when it answered. */
    private boolean redirected(Exchange exchange) {
        String reason = context.redirectReason();
        if (reason == null) {
            return false;
        }
        Optional<InetSocketAddress> alternate = exchange.fiveTuple().transport() == Transport.TLS ? Optional.empty()
                : context.alternateFor(exchange.fiveTuple().client().getAddress());
        if (alternate.isPresent()) {
            context.metrics().redirected(reason);
            exchange.fail(ErrorCode.TRY_ALTERNATE, new AlternateServer(alternate.get()));
            return true;
        }
        if (context.draining()) {
            exchange.failWith(ErrorCode.INSUFFICIENT_CAPACITY, "server draining: no new allocations");
            return true;
        }
        return false;
    }
}
