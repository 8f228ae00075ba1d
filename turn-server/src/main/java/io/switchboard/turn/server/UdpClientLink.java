package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.turn.allocation.FiveTuple;

/** A client reached by datagrams from the listener socket it talks to. */
final class UdpClientLink extends ClientLink {
    private final Channel listener;
    private final int natPosition;

    UdpClientLink(Channel listener, FiveTuple fiveTuple) {
        this(listener, fiveTuple, NatSockets.PRIMARY);
    }

    UdpClientLink(Channel listener, FiveTuple fiveTuple, int natPosition) {
        super(fiveTuple);
        this.listener = listener;
        this.natPosition = natPosition;
    }

    /** Which RFC 5780 socket the client talks to ({@link NatSockets#PRIMARY} when discovery is off). */
    int natPosition() {
        return natPosition;
    }

    @Override
    Channel channel() {
        return listener;
    }

    @Override
    void write(ByteBuf frame) {
        listener.write(new DatagramPacket(frame, fiveTuple().client()), listener.voidPromise());
        FlushQueue.add(listener);
    }

    @Override
    void writeAndFlush(ByteBuf frame) {
        listener.writeAndFlush(new DatagramPacket(frame, fiveTuple().client()), listener.voidPromise());
    }
}
