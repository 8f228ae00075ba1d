package io.switchboard.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport every Switchboard socket uses: native epoll where the platform has it, NIO otherwise.
 *
 * <p>Picked once per process so that channels and event loops always match.
 */
public enum NettyTransport {
    EPOLL(EpollIoHandler.newFactory(), EpollDatagramChannel.class, EpollServerSocketChannel.class, EpollSocketChannel.class),
    NIO(NioIoHandler.newFactory(), NioDatagramChannel.class, NioServerSocketChannel.class, NioSocketChannel.class);

    private final IoHandlerFactory ioHandlerFactory;
    private final Class<? extends DatagramChannel> datagramChannel;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> socketChannel;

    NettyTransport(IoHandlerFactory ioHandlerFactory,
                   Class<? extends DatagramChannel> datagramChannel,
                   Class<? extends ServerChannel> serverChannel,
                   Class<? extends SocketChannel> socketChannel) {
        this.ioHandlerFactory = ioHandlerFactory;
        this.datagramChannel = datagramChannel;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
    }

    /** The best transport available here: epoll on Linux, NIO elsewhere. */
    public static NettyTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** A new event loop group of {@code threads} threads (0 means Netty's default) named after {@code purpose}. */
    public EventLoopGroup newEventLoopGroup(int threads, String purpose) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("switchboard-" + purpose, true), ioHandlerFactory);
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return datagramChannel;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    /** Whether datagram sockets can share a port across event loops with SO_REUSEPORT. */
    public boolean supportsReusePort() {
        return this == EPOLL;
    }
}
