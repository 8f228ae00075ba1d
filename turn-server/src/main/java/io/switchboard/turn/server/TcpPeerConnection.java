package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection between a TCP relayed address and a peer (RFC 6062 §5.2, §5.3), named by its CONNECTION-ID. It
 * reads nothing until the client binds a data connection to it with ConnectionBind (§5.4); then bytes flow unchanged
 * both ways, with back-pressure, until either side closes. Unbound after 30 seconds, it is closed.
 */
final class TcpPeerConnection {
    /** How long a connection waits for its ConnectionBind (RFC 6062 §5.2, §5.3: 30 seconds). */
    static final long BIND_TIMEOUT_SECONDS = 30;

    private final long id;
    private final InetSocketAddress peer;
    private final Channel peerChannel;
    private final TcpRelay relay;
    private final AtomicBoolean bound = new AtomicBoolean();
    private final ScheduledFuture<?> bindTimeout;

    TcpPeerConnection(long id, InetSocketAddress peer, Channel peerChannel, TcpRelay relay) {
        this.id = id;
        this.peer = peer;
        this.peerChannel = peerChannel;
        this.relay = relay;
        peerChannel.config().setAutoRead(false);
        this.bindTimeout = peerChannel.eventLoop().schedule(() -> {
            if (!bound.get()) {
                peerChannel.close();
            }
        }, BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        peerChannel.closeFuture().addListener(f -> relay.forget(this));
    }

    long id() {
        return id;
    }

    InetSocketAddress peer() {
        return peer;
    }

    TcpRelay relay() {
        return relay;
    }

    boolean isBound() {
        return bound.get();
    }

    /** Claims the connection for a data connection; false when it was bound already or is closed. */
    boolean claim() {
        return peerChannel.isActive() && bound.compareAndSet(false, true);
    }

    /**
     * Starts piping between the peer and the client's data connection (after the ConnectionBind success is sent). Runs on
     * the peer channel's event loop: the pipe handler must be in place before the first read, or that read would reach
     * the end of the pipeline and be discarded.
     */
    void pipe(Channel dataChannel, ServerContext context) {
        bindTimeout.cancel(false);
        dataChannel.closeFuture().addListener(f -> peerChannel.close());
        peerChannel.closeFuture().addListener(f -> dataChannel.close());
        peerChannel.eventLoop().execute(() -> {
            peerChannel.pipeline().addLast(new Pipe(dataChannel, context, false));
            peerChannel.config().setAutoRead(true);
            peerChannel.read();
        });
    }

    Channel peerChannel() {
        return peerChannel;
    }

    void close() {
        peerChannel.close();
    }

    /**
     * Forwards everything read on one channel to another, pausing reads while the other cannot take more. Used on the
     * peer side; the data-connection side lives in {@link StreamConnectionHandler}'s piping mode.
     */
    static final class Pipe extends ChannelInboundHandlerAdapter {
        private final Channel to;
        private final ServerContext context;
        private final boolean toPeer;

        Pipe(Channel to, ServerContext context, boolean toPeer) {
            this.to = to;
            this.context = context;
            this.toPeer = toPeer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            forward(ctx.channel(), to, (ByteBuf) msg, context, toPeer);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                to.config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Writes {@code data} to {@code to}, counting it, and stops reading {@code from} while {@code to} is full. */
    static void forward(Channel from, Channel to, ByteBuf data, ServerContext context, boolean toPeer) {
        int length = data.readableBytes();
        if (toPeer) {
            context.metrics().relayedToPeer(length);
        } else {
            context.metrics().relayedToClient(length);
        }
        to.writeAndFlush(data, to.voidPromise());
        if (!to.isWritable()) {
            from.config().setAutoRead(false);
        }
    }
}
