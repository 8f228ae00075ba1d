package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.turn.TurnPolicy;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.ChannelBinding;
import io.switchboard.turn.allocation.RelayEndpoint;
import io.switchboard.turn.allocation.RelayPortPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One UDP relayed transport address (RFC 8656 §2) and the peer-to-client half of the hot path (§11.3, §12.6): a
 * datagram from a peer with a permission goes to the client as ChannelData when a channel is bound to the peer, as a
 * Data indication otherwise. Its socket runs on the event loop of the client's listener, so both directions of an
 * allocation share one thread.
 */
final class UdpRelay extends ChannelInboundHandlerAdapter implements RelayEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(UdpRelay.class);

    private final ServerContext context;
    private final Allocation allocation;
    private final ClientLink link;
    private final RelayPortPool pool;
    private final int port;
    private final InetSocketAddress relayedAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile DatagramChannel channel;

    UdpRelay(ServerContext context, Allocation allocation, ClientLink link, RelayPortPool pool, int port,
             InetSocketAddress relayedAddress) {
        this.context = context;
        this.allocation = allocation;
        this.link = link;
        this.pool = pool;
        this.port = port;
        this.relayedAddress = relayedAddress;
    }

    void channel(DatagramChannel bound) {
        this.channel = bound;
    }

    DatagramChannel channel() {
        return channel;
    }

    @Override
    public InetSocketAddress relayedAddress() {
        return relayedAddress;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            DatagramChannel current = channel;
            if (current == null) {
                pool.release(port);
            } else {
                current.close().addListener(f -> pool.release(port));
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        try {
            ByteBuf content = packet.content();
            if (content.readableBytes() >= RelaySockets.RELAY_RECEIVE.size()) {
                context.metrics().dropped(DropReason.OVERSIZE);
                return;
            }
            fromPeer(packet.sender(), content);
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FlushQueue.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        context.metrics().dropped(DropReason.SEND_FAILED);
        LOG.debug("relay {}: {}", relayedAddress, cause.toString());
    }

    /**
     * Data from another allocation of this server, as if it had arrived on this socket from {@code from}; takes
     * ownership of {@code payload}.
     */
    void deliverInternally(InetSocketAddress from, ByteBuf payload) {
        DatagramChannel current = channel;
        EventLoop loop = current == null ? null : current.eventLoop();
        if (loop == null || loop.inEventLoop()) {
            try {
                fromPeer(from, payload);
            } finally {
                payload.release();
            }
            return;
        }
        loop.execute(() -> {
            try {
                fromPeer(from, payload);
            } finally {
                payload.release();
                FlushQueue.flush();
            }
        });
    }

    /** Relays one datagram from {@code peer} to the client; the caller keeps {@code payload}. */
    private void fromPeer(InetSocketAddress peer, ByteBuf payload) {
        if (closed.get() || !allocation.isActive()) {
            context.metrics().dropped(DropReason.NO_ALLOCATION);
            return;
        }
        long now = context.clock().millis();
        TurnPolicy policy = context.policy();
        if (!context.clientToPeer().permitted(allocation, peer, now, policy)) {
            return;
        }
        int length = payload.readableBytes();
        if (!allocation.consumeBandwidth(length, now)) {
            context.metrics().dropped(DropReason.BANDWIDTH);
            return;
        }
        ChannelBinding binding = allocation.channelTo(peer);
        boolean channel = binding != null && binding.isActive(now);
        ByteBuf parent = RelaySockets.RELAY_RECEIVE.parentOf(payload);
        ByteBuf out;
        if (parent != null) {
            // Received with headroom: the header goes in front of the payload, nothing is copied.
            int dataIndex = HeadroomRecvByteBufAllocator.HEADROOM + payload.readerIndex();
            out = channel ? ChannelDataFrames.wrapInPlace(parent, dataIndex, length, binding.number(), link.isStream())
                    : DataIndications.wrapInPlace(parent, dataIndex, length, peer);
        } else if (channel) {
            out = ChannelDataFrames.encode(link.alloc(), payload, binding.number(), link.isStream());
        } else {
            out = DataIndications.encode(link.alloc(), peer, payload);
        }
        context.metrics().relayedToClient(length);
        link.write(out);
    }
}
