package io.switchboard.turn.server;

import io.switchboard.stun.ConnectionId;
import io.switchboard.stun.ErrorCode;

import java.util.Optional;

/**
 * ConnectionBind requests (RFC 6062 §5.4), sent on a new TCP or TLS connection from the client, after authentication:
 * <ol>
 *   <li>not over TCP or TLS, or on a connection that holds an allocation: 400;</li>
 *   <li>CONNECTION-ID missing, unknown, expired or already bound: 400;</li>
 *   <li>another USERNAME than the allocation's: 441;</li>
 *   <li>success; from then on the connection carries the peer connection's bytes unchanged, both ways.</li>
 * </ol>
 */
final class ConnectionBindHandler implements MethodHandler {
    private final ServerContext context;

    ConnectionBindHandler(ServerContext context) {
        this.context = context;
    }

    @Override
    public boolean requiresAuthentication() {
        return true;
    }

    @Override
    public void handle(Exchange exchange) {
        if (!exchange.link().isStream() || exchange.allocation() != null) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "ConnectionBind goes on a new TCP connection");
            return;
        }
        Optional<ConnectionId> id = exchange.request().attribute(ConnectionId.class);
        TcpPeerConnection connection = id.map(i -> context.tcpConnections().find(i.id())).orElse(null);
        if (connection == null) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "unknown CONNECTION-ID");
            return;
        }
        if (!connection.relay().allocation().username().equals(exchange.auth().username())) {
            exchange.fail(ErrorCode.WRONG_CREDENTIALS);
            return;
        }
        if (!connection.claim()) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "CONNECTION-ID already bound or closed");
            return;
        }
        StreamConnectionHandler data = exchange.link().channel().pipeline().get(StreamConnectionHandler.class);
        data.becomePipe(connection.peerChannel());
        exchange.respond(exchange.success());
        connection.pipe(exchange.link().channel(), context);
    }
}
