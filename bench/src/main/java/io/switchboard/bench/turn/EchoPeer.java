package io.switchboard.bench.turn;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

import java.util.concurrent.atomic.LongAdder;

/** The UDP peer behind the relay: sends every datagram straight back to its sender, counting them. */
@ChannelHandler.Sharable
final class EchoPeer extends ChannelInboundHandlerAdapter {
    private final LongAdder received = new LongAdder();

    long received() {
        return received.sum();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        received.increment();
        ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A full socket buffer drops the echo: the generator counts it as loss.
    }
}
