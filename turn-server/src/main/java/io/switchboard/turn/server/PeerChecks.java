package io.switchboard.turn.server;

import io.switchboard.stun.ErrorCode;
import io.switchboard.turn.allocation.Allocation;

import java.net.InetSocketAddress;

/** The checks CreatePermission and ChannelBind share for each XOR-PEER-ADDRESS (RFC 8656 §9.2, §11.2). */
final class PeerChecks {
    private PeerChecks() {
    }

    /** 437 or 441 for the allocation itself, or 0 when the request may go on. */
    static int allocationError(Exchange exchange, Allocation allocation) {
        if (allocation == null || !allocation.isActive()) {
            return ErrorCode.ALLOCATION_MISMATCH;
        }
        if (!allocation.username().equals(exchange.auth().username())) {
            return ErrorCode.WRONG_CREDENTIALS;
        }
        return 0;
    }

    /**
     * 403 when the peer policy refuses the address, unless it is a relayed address of this server (PRODUCT.md
     * "Security defaults"), checked first so that a refused address gets 403 whatever its family; 443 when the
     * allocation has no relay of the peer's family (RFC 8656 §9.2, RFC 6156 §4.3); 0 when the peer is fine.
     */
    static int peerError(Exchange exchange, Allocation allocation, InetSocketAddress peer) {
        if (!exchange.context().isOwnRelayedAddress(peer) && !exchange.policy().peers().permits(peer.getAddress())) {
            exchange.context().metrics().dropped(DropReason.FORBIDDEN_PEER);
            return ErrorCode.FORBIDDEN;
        }
        if (allocation.relayFor(peer.getAddress()) == null) {
            return ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH;
        }
        return 0;
    }
}
