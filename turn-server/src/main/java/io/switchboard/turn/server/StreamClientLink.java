package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.turn.allocation.FiveTuple;

/** A client reached over its own TCP or TLS connection. */
final class StreamClientLink extends ClientLink {
    private final Channel connection;

    StreamClientLink(Channel connection, FiveTuple fiveTuple) {
        super(fiveTuple);
        this.connection = connection;
    }

    @Override
    Channel channel() {
        return connection;
    }

    @Override
    void write(ByteBuf frame) {
        connection.write(frame, connection.voidPromise());
        FlushQueue.add(connection);
    }

    @Override
    void writeAndFlush(ByteBuf frame) {
        connection.writeAndFlush(frame, connection.voidPromise());
    }
}
