package io.switchboard.turn.server;

import io.switchboard.stun.ChannelNumber;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.XorPeerAddress;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.AllocationException;
import io.switchboard.turn.allocation.ChannelNumbers;

import java.util.Optional;

/**
 * ChannelBind requests (RFC 8656 §11.2), after authentication:
 * <ol>
 *   <li>no allocation: 437; another USERNAME than the allocation's: 441; a TCP allocation (RFC 6062): 400;</li>
 *   <li>CHANNEL-NUMBER or XOR-PEER-ADDRESS missing, or the number outside 0x4000-0x7FFF (RFC 8656's 0x4000-0x4FFF
 *       plus RFC 5766's 0x5000-0x7FFF, still used by older clients): 400;</li>
 *   <li>a peer the policy refuses: 403; a peer family the allocation has no relay of: 443;</li>
 *   <li>the number bound to another peer, or the peer to another number (also within 5 minutes after such a binding
 *       expired): 400;</li>
 *   <li>the permission quota reached by the peer's new permission, or as many channels as the permission quota: 508;</li>
 *   <li>the binding made or refreshed for 600 s and the peer's permission for 300 s; success.</li>
 * </ol>
 */
final class ChannelBindHandler implements MethodHandler {
    @Override
    public boolean requiresAuthentication() {
        return true;
    }

    @Override
    public void handle(Exchange exchange) {
        StunMessage request = exchange.request();
        Allocation allocation = exchange.allocation();
        int error = PeerChecks.allocationError(exchange, allocation);
        if (error != 0) {
            exchange.fail(error);
            return;
        }
        if (!allocation.relays().isEmpty() && allocation.relays().get(0) instanceof TcpRelay) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "a TCP allocation has no channels");
            return;
        }
        Optional<ChannelNumber> number = request.attribute(ChannelNumber.class);
        Optional<XorPeerAddress> peer = request.attribute(XorPeerAddress.class);
        if (number.isEmpty() || peer.isEmpty()) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "CHANNEL-NUMBER and XOR-PEER-ADDRESS are required");
            return;
        }
        if (!ChannelNumbers.isValid(number.get().number())) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "channel number must be 0x4000-0x7FFF");
            return;
        }
        error = PeerChecks.peerError(exchange, allocation, peer.get().address());
        if (error != 0) {
            exchange.fail(error);
            return;
        }
        try {
            allocation.bindChannel(number.get().number(), peer.get().address(), exchange.now(),
                    exchange.policy().quotas().permissionsPerAllocation(), exchange.policy().peers());
        } catch (AllocationException e) {
            exchange.failWith(e.errorCode(), e.getMessage());
            return;
        }
        exchange.respond(exchange.success());
    }
}
