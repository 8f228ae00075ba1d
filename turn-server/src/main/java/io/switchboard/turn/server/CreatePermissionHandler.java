package io.switchboard.turn.server;

import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.XorPeerAddress;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.AllocationException;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * CreatePermission requests (RFC 8656 §9.2), after authentication:
 * <ol>
 *   <li>no allocation: 437; another USERNAME than the allocation's: 441;</li>
 *   <li>no XOR-PEER-ADDRESS: 400;</li>
 *   <li>for every XOR-PEER-ADDRESS: an address the peer policy refuses: 403 (after normalising IPv4-mapped,
 *       IPv4-compatible, NAT64 and 6to4 forms; a relayed address of this server is always allowed); a family the
 *       allocation has no relay of: 443;</li>
 *   <li>more distinct peers than the permission quota: 508;</li>
 *   <li>all permissions installed or refreshed for 300 s at once, or none; success.</li>
 * </ol>
 */
final class CreatePermissionHandler implements MethodHandler {
    @Override
    public boolean requiresAuthentication() {
        return true;
    }

    @Override
    public void handle(Exchange exchange) {
        Allocation allocation = exchange.allocation();
        int error = PeerChecks.allocationError(exchange, allocation);
        if (error != 0) {
            exchange.fail(error);
            return;
        }
        List<XorPeerAddress> peers = exchange.request().attributes(XorPeerAddress.class);
        if (peers.isEmpty()) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "XOR-PEER-ADDRESS is required");
            return;
        }
        List<InetAddress> addresses = new ArrayList<>(peers.size());
        for (XorPeerAddress peer : peers) {
            error = PeerChecks.peerError(exchange, allocation, peer.address());
            if (error != 0) {
                exchange.fail(error);
                return;
            }
            addresses.add(peer.address().getAddress());
        }
        try {
            allocation.installPermissions(addresses, exchange.now(),
                    exchange.policy().quotas().permissionsPerAllocation(), exchange.policy().peers());
        } catch (AllocationException e) {
            exchange.failWith(e.errorCode(), e.getMessage());
            return;
        }
        exchange.respond(exchange.success());
    }
}
