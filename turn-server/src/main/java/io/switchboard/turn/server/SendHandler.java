package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.stun.Data;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.XorPeerAddress;
import io.switchboard.turn.allocation.Allocation;

import java.util.Optional;

/**
 * Send indications that reached the general decoder (RFC 8656 §10.2); the listeners normally relay them in place with
 * {@link SendIndicationReader} before decoding. Without allocation, XOR-PEER-ADDRESS or DATA the indication is dropped;
 * permission, policy and bandwidth are checked by {@link ClientToPeer}.
 */
final class SendHandler {
    private final ServerContext context;

    SendHandler(ServerContext context) {
        this.context = context;
    }

    void handle(StunMessage indication, ClientLink link) {
        Allocation allocation = context.table().find(link.fiveTuple()).orElse(null);
        if (allocation == null || !allocation.isActive()) {
            context.metrics().dropped(DropReason.NO_ALLOCATION);
            return;
        }
        Optional<XorPeerAddress> peer = indication.attribute(XorPeerAddress.class);
        Optional<Data> data = indication.attribute(Data.class);
        if (peer.isEmpty() || data.isEmpty() || !indication.unknownComprehensionRequired().isEmpty()) {
            context.metrics().dropped(DropReason.MALFORMED);
            return;
        }
        ByteBuf payload = Unpooled.wrappedBuffer(data.get().data());
        try {
            context.clientToPeer().send(allocation, peer.get().address(), payload, 0, payload.readableBytes(),
                    context.clock().millis());
        } finally {
            payload.release();
        }
    }
}
