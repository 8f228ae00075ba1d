package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.turn.TurnPolicy;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.ChannelBinding;
import io.switchboard.turn.allocation.Permission;
import io.switchboard.turn.allocation.RelayEndpoint;

import java.net.InetSocketAddress;

/**
 * The client-to-peer half of the relay's hot path (RFC 8656 §10.2 Send, §12.6 ChannelData): O(1) checks of channel,
 * permission, peer policy and bandwidth, then the data leaves from the relay socket as a slice of the received buffer,
 * or is handed to another allocation of this server without a socket round trip.
 */
final class ClientToPeer {
    private final ServerContext context;

    ClientToPeer(ServerContext context) {
        this.context = context;
    }

    /**
     * Relays a ChannelData message: {@code frame} holds header and data (padding included over streams). The caller
     * keeps its reference to {@code frame}.
     */
    void channelData(Allocation allocation, ByteBuf frame, boolean stream) {
        int start = frame.readerIndex();
        int available = frame.readableBytes() - 4;
        int number = frame.getUnsignedShort(start);
        int length = frame.getUnsignedShort(start + 2);
        // Datagrams may carry up to 3 padding bytes (RFC 8656 §12.5); the stream framer already cut exact frames.
        if (length > available || (!stream && available - length > 3)) {
            context.metrics().dropped(DropReason.MALFORMED);
            return;
        }
        long now = context.clock().millis();
        ChannelBinding binding = allocation.channel(number);
        if (binding == null || !binding.isActive(now)) {
            context.metrics().dropped(DropReason.NO_CHANNEL);
            return;
        }
        send(allocation, binding.peer(), frame, start + 4, length, now);
    }

    /** Relays {@code length} bytes at {@code index} of {@code buf} to {@code peer}; the caller keeps {@code buf}. */
    void send(Allocation allocation, InetSocketAddress peer, ByteBuf buf, int index, int length, long now) {
        TurnPolicy policy = context.policy();
        if (!permitted(allocation, peer, now, policy)) {
            return;
        }
        RelayEndpoint endpoint = allocation.relayFor(peer.getAddress());
        if (!(endpoint instanceof UdpRelay)) {
            // No relay of the peer's family, or a TCP allocation, which carries no Send or ChannelData (RFC 6062 §5).
            context.metrics().dropped(DropReason.WRONG_FAMILY);
            return;
        }
        UdpRelay relay = (UdpRelay) endpoint;
        if (!allocation.consumeBandwidth(length, now)) {
            context.metrics().dropped(DropReason.BANDWIDTH);
            return;
        }
        if (context.relays().isRelayIp(peer.getAddress())) {
            UdpRelay target = targetRelay(peer);
            if (target != null) {
                context.metrics().relayedToPeer(length);
                target.deliverInternally(relay.relayedAddress(), buf.retainedSlice(index, length));
                return;
            }
            if (!policy.peers().permits(peer.getAddress())) {
                // A permission for our own relay IP covers our relays, not whatever else listens on that address.
                context.metrics().dropped(DropReason.FORBIDDEN_PEER);
                return;
            }
        }
        Channel channel = relay.channel();
        context.metrics().relayedToPeer(length);
        channel.write(new DatagramPacket(buf.retainedSlice(index, length), peer), channel.voidPromise());
        FlushQueue.add(channel);
    }

    private UdpRelay targetRelay(InetSocketAddress peer) {
        Allocation target = context.table().byRelayedAddress(peer);
        if (target == null) {
            return null;
        }
        RelayEndpoint endpoint = target.relayFor(peer.getAddress());
        return endpoint instanceof UdpRelay ? (UdpRelay) endpoint : null;
    }

    /** Permission (RFC 8656 §9) and, after a policy reload, the peer policy again. */
    boolean permitted(Allocation allocation, InetSocketAddress peer, long now, TurnPolicy policy) {
        Permission permission = allocation.permission(peer.getAddress());
        if (permission == null || !permission.isActive(now)) {
            context.metrics().dropped(DropReason.NO_PERMISSION);
            return false;
        }
        if (!permission.checkedWith(policy.peers())) {
            if (!context.isOwnRelayedAddress(peer) && !policy.peers().permits(peer.getAddress())) {
                context.metrics().dropped(DropReason.FORBIDDEN_PEER);
                return false;
            }
            permission.markChecked(policy.peers());
        }
        return true;
    }
}
