package io.switchboard.turn.server;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every TCP peer connection of the server by CONNECTION-ID (RFC 6062 §6.2.1), since ConnectionBind arrives on a new
 * client connection, not on the one that owns the allocation. Ids are random, so one client cannot guess another's.
 */
final class TcpConnections {
    private final Map<Long, TcpPeerConnection> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    TcpPeerConnection register(InetSocketAddress peer, Channel channel, TcpRelay relay) {
        while (true) {
            long id = random.nextInt() & 0xFFFF_FFFFL;
            if (id == 0 || byId.containsKey(id)) {
                continue;
            }
            TcpPeerConnection connection = new TcpPeerConnection(id, peer, channel, relay);
            if (byId.putIfAbsent(id, connection) == null) {
                return connection;
            }
        }
    }

    TcpPeerConnection find(long id) {
        return byId.get(id);
    }

    void remove(TcpPeerConnection connection) {
        byId.remove(connection.id(), connection);
    }

    int size() {
        return byId.size();
    }
}
