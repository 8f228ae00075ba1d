package io.switchboard.turn.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.switchboard.stun.ConnectionId;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.XorPeerAddress;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.RelayEndpoint;
import io.switchboard.turn.allocation.RelayPortPool;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relayed transport address (RFC 6062 §5.1): a listening socket that accepts peer connections from peers with a
 * permission and announces them with a ConnectionAttempt indication (§5.3), and the source address of connections the
 * client asks for with Connect (§5.2). Closing it closes every peer connection.
 */
final class TcpRelay implements RelayEndpoint {
    private final ServerContext context;
    private final Allocation allocation;
    private final ClientLink control;
    private final RelayPortPool pool;
    private final int port;
    private final InetSocketAddress relayedAddress;
    private final InetSocketAddress bindAddress;
    private final Map<InetSocketAddress, TcpPeerConnection> byPeer = new ConcurrentHashMap<>();
    private final java.util.Set<InetSocketAddress> connecting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ServerChannel listener;

    TcpRelay(ServerContext context, Allocation allocation, ClientLink control, RelayPortPool pool, int port,
             InetSocketAddress relayedAddress, InetSocketAddress bindAddress) {
        this.context = context;
        this.allocation = allocation;
        this.control = control;
        this.pool = pool;
        this.port = port;
        this.relayedAddress = relayedAddress;
        this.bindAddress = bindAddress;
    }

    void listener(ServerChannel channel) {
        this.listener = channel;
    }

    @Override
    public InetSocketAddress relayedAddress() {
        return relayedAddress;
    }

    /** Where outgoing peer connections are bound: the relayed port on the relay bind address. */
    InetSocketAddress bindAddress() {
        return bindAddress;
    }

    Allocation allocation() {
        return allocation;
    }

    ClientLink control() {
        return control;
    }

    /** Whether a connection to or from this peer exists (RFC 6062 §5.2: 446 Connection Already Exists). */
    boolean hasConnectionTo(InetSocketAddress peer) {
        return byPeer.containsKey(peer);
    }

    /** Marks a Connect to this peer as under way; false when one is, or a connection exists (446). */
    boolean startConnecting(InetSocketAddress peer) {
        return !byPeer.containsKey(peer) && connecting.add(peer);
    }

    void doneConnecting(InetSocketAddress peer) {
        connecting.remove(peer);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Registers an established connection under a new CONNECTION-ID. */
    TcpPeerConnection register(InetSocketAddress peer, Channel channel) {
        TcpPeerConnection connection = context.tcpConnections().register(peer, channel, this);
        byPeer.put(peer, connection);
        if (closed.get()) {
            connection.close();
        }
        return connection;
    }

    void forget(TcpPeerConnection connection) {
        byPeer.remove(connection.peer(), connection);
        context.tcpConnections().remove(connection);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (TcpPeerConnection connection : new ArrayList<>(byPeer.values())) {
                if (connection != null) {
                    connection.close();
                }
            }
            ServerChannel current = listener;
            if (current == null) {
                pool.release(port);
            } else {
                current.close().addListener(f -> pool.release(port));
            }
        }
    }

    /** Accepts peer connections on the relayed address (RFC 6062 §5.3); one instance serves every accepted channel. */
    @io.netty.channel.ChannelHandler.Sharable
    final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel channel = ctx.channel();
            InetSocketAddress peer = (InetSocketAddress) channel.remoteAddress();
            long now = context.clock().millis();
            if (closed.get() || !allocation.isActive() || !allocation.hasPermission(peer.getAddress(), now)
                    || byPeer.containsKey(peer)) {
                context.metrics().dropped(DropReason.NO_PERMISSION);
                channel.close();
                return;
            }
            TcpPeerConnection connection = register(peer, channel);
            ctx.pipeline().remove(this);
            StunMessage attempt = StunMessage.builder(StunMethod.CONNECTION_ATTEMPT.indication())
                    .add(new XorPeerAddress(peer)).add(new ConnectionId(connection.id())).build();
            control.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(attempt.toBytes()));
            ctx.fireChannelActive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
