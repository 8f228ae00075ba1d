package io.switchboard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.switchboard.transport.NettyTransport;

/** UDP sockets of the load generators: native epoll with batched reads (recvmmsg) where available. */
public final class Udp {
    /** Largest datagram the generators send or expect. */
    public static final int MAX_DATAGRAM = 1500;

    private Udp() {
    }

    public static Bootstrap bootstrap(NettyTransport transport, EventLoopGroup group, ChannelHandler handler,
                                      int bufferBytes, boolean batchedReads) {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, bufferBytes)
                .option(ChannelOption.SO_SNDBUF, bufferBytes)
                .handler(handler);
        if (transport == NettyTransport.EPOLL && batchedReads) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * 32));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * 2));
        }
        return bootstrap;
    }
}
