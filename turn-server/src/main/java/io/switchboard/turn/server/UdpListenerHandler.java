package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.AllocationTable;
import io.switchboard.turn.allocation.ChannelNumbers;
import io.switchboard.turn.allocation.FiveTuple;
import io.switchboard.turn.allocation.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * One UDP listener socket (RFC 8656 §3.1 over UDP). Malformed-input policy: a datagram that is neither STUN nor
 * ChannelData, or does not decode, is dropped and counted; a request whose header decodes but whose body does not gets
 * 400 (RFC 8489 §6.3.1). ChannelData and Send indications take the hot path: looked up by client address in O(1) and
 * relayed as slices of the received buffer, without decoding into objects.
 */
final class UdpListenerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(UdpListenerHandler.class);

    private final ServerContext context;
    private final RequestDispatcher dispatcher;
    private final int natPosition;
    private final SendIndicationReader sendReader = new SendIndicationReader();
    private InetSocketAddress server;
    private AllocationTable.ClientIndex index;

    UdpListenerHandler(ServerContext context, RequestDispatcher dispatcher, int natPosition) {
        this.context = context;
        this.dispatcher = dispatcher;
        this.natPosition = natPosition;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        try {
            read(ctx, packet);
        } finally {
            packet.release();
        }
    }

    private void read(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        InetSocketAddress client = packet.sender();
        if (content.readableBytes() < 4 || client == null) {
            context.metrics().dropped(DropReason.MALFORMED);
            return;
        }
        if (content.readableBytes() >= RelaySockets.RECEIVE_BUFFER) {
            context.metrics().dropped(DropReason.OVERSIZE);
            return;
        }
        InetSocketAddress recipient = packet.recipient() != null ? packet.recipient()
                : ctx.channel().localAddress() instanceof InetSocketAddress ? (InetSocketAddress) ctx.channel().localAddress() : null;
        if (recipient == null) {
            context.metrics().dropped(DropReason.MALFORMED);
            return;
        }
        AllocationTable.ClientIndex clients = index(recipient);
        int first = content.getUnsignedByte(content.readerIndex());
        if (ChannelNumbers.isChannelDataFirstByte(first)) {
            Allocation allocation = clients.find(client);
            if (allocation == null || !allocation.isActive()) {
                context.metrics().dropped(DropReason.NO_ALLOCATION);
                return;
            }
            context.clientToPeer().channelData(allocation, content, false);
            return;
        }
        if ((first & 0xC0) != 0) {
            context.metrics().dropped(DropReason.NOT_STUN);
            return;
        }
        if (SendIndicationReader.isSendIndication(content)) {
            Allocation allocation = clients.find(client);
            if (allocation == null || !allocation.isActive()) {
                context.metrics().dropped(DropReason.NO_ALLOCATION);
                return;
            }
            if (!sendReader.read(content)) {
                context.metrics().dropped(DropReason.MALFORMED);
                return;
            }
            context.clientToPeer().send(allocation, sendReader.peer(), content, sendReader.dataIndex(),
                    sendReader.dataLength(), context.clock().millis());
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(content);
        FiveTuple fiveTuple = new FiveTuple(client, server, Transport.UDP);
        StunMessage message;
        try {
            message = StunMessage.decode(bytes);
        } catch (StunDecodeException e) {
            context.metrics().dropped(DropReason.MALFORMED);
            if (e.messageType().isPresent() && e.transactionId().isPresent()
                    && e.messageType().get().messageClass() == MessageClass.REQUEST
                    && context.challenges().tryAcquire(client.getAddress(), context.clock().millis())) {
                byte[] response = AmplificationLimit.fit(RequestDispatcher.badRequest(e.messageType().get(),
                        e.transactionId().get(), e.getMessage()), bytes.length);
                context.metrics().response(400);
                ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(response), client), ctx.voidPromise());
            }
            return;
        }
        dispatcher.dispatch(message, new UdpClientLink(ctx.channel(), fiveTuple, natPosition));
    }

    private AllocationTable.ClientIndex index(InetSocketAddress recipient) {
        if (index == null || !recipient.equals(server)) {
            server = recipient;
            index = context.table().clientIndex(recipient, Transport.UDP);
        }
        return index;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FlushQueue.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        context.metrics().dropped(DropReason.SEND_FAILED);
        LOG.debug("udp listener {}: {}", ctx.channel().localAddress(), cause.toString());
    }
}
