package io.switchboard.turn.server;

import io.netty.channel.ChannelFuture;
import io.switchboard.stun.ConnectionId;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.XorPeerAddress;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.AllocationException;
import io.switchboard.turn.allocation.RelayEndpoint;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Connect requests (RFC 6062 §5.2), after authentication; the answer comes when the TCP connection to the peer is up
 * or has failed:
 * <ol>
 *   <li>no allocation: 437; another USERNAME than the allocation's: 441; not a TCP allocation: 400;</li>
 *   <li>no XOR-PEER-ADDRESS: 400; a peer the policy refuses: 403; another family than the relay's: 443;</li>
 *   <li>a Connect to this peer under way, or a connection to it open: 446;</li>
 *   <li>the server connects from the relayed address (30 s at most); failure or timeout: 447;</li>
 *   <li>success: the peer's permission is installed or refreshed, and the response carries the CONNECTION-ID that a
 *       ConnectionBind must claim within 30 s.</li>
 * </ol>
 */
final class ConnectHandler implements MethodHandler {
    private final ServerContext context;

    ConnectHandler(ServerContext context) {
        this.context = context;
    }

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
        List<RelayEndpoint> relays = allocation.relays();
        if (relays.isEmpty() || !(relays.get(0) instanceof TcpRelay)) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "Connect needs a TCP allocation");
            return;
        }
        TcpRelay relay = (TcpRelay) relays.get(0);
        Optional<XorPeerAddress> peerAttribute = exchange.request().attribute(XorPeerAddress.class);
        if (peerAttribute.isEmpty()) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "XOR-PEER-ADDRESS is required");
            return;
        }
        InetSocketAddress peer = peerAttribute.get().address();
        error = PeerChecks.peerError(exchange, allocation, peer);
        if (error != 0) {
            exchange.fail(error);
            return;
        }
        if (!relay.startConnecting(peer)) {
            exchange.fail(ErrorCode.CONNECTION_ALREADY_EXISTS);
            return;
        }
        ChannelFuture connect = context.relays().peerConnection(relay, exchange.link().channel().eventLoop()).connect(peer);
        connect.addListener(f -> {
            relay.doneConnecting(peer);
            if (!f.isSuccess() || relay.isClosed()) {
                connect.channel().close();
                exchange.fail(ErrorCode.CONNECTION_TIMEOUT_OR_FAILURE);
                return;
            }
            try {
                allocation.installPermissions(List.of(peer.getAddress()), context.clock().millis(),
                        exchange.policy().quotas().permissionsPerAllocation(), exchange.policy().peers());
            } catch (AllocationException e) {
                connect.channel().close();
                exchange.failWith(e.errorCode(), e.getMessage());
                return;
            }
            TcpPeerConnection connection = relay.register(peer, connect.channel());
            exchange.respond(exchange.success().add(new ConnectionId(connection.id())));
        });
    }
}
