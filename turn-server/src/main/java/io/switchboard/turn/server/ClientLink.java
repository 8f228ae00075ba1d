package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.switchboard.turn.allocation.FiveTuple;

/** The way back to one client: over the UDP listener socket to its address, or over its TCP/TLS connection. */
abstract class ClientLink {
    private final FiveTuple fiveTuple;

    ClientLink(FiveTuple fiveTuple) {
        this.fiveTuple = fiveTuple;
    }

    final FiveTuple fiveTuple() {
        return fiveTuple;
    }

    /** The channel writes go to. */
    abstract Channel channel();

    /** Writes a datagram or stream frame to the client, flushed at the end of the current read batch. */
    abstract void write(ByteBuf frame);

    /** Writes and flushes at once: responses. */
    abstract void writeAndFlush(ByteBuf frame);

    /** Whether frames travel over a stream, where ChannelData needs padding (RFC 8656 §12.5). */
    final boolean isStream() {
        return fiveTuple.transport().isStream();
    }

    final ByteBufAllocator alloc() {
        return channel().alloc();
    }
}
