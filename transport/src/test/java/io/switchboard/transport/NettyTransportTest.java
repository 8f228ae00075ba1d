package io.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class NettyTransportTest {

    @Test
    void usesNativeEpollOnLinux() {
        assertThat(NettyTransport.best()).isEqualTo(NettyTransport.EPOLL);
    }

    @Test
    void bindsADatagramChannelOnAnEphemeralLoopbackPort() throws Exception {
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newEventLoopGroup(1, "test");
        try {
            Channel channel = new Bootstrap().group(group).channel(transport.datagramChannel())
                    .handler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            assertThat(((InetSocketAddress) channel.localAddress()).getPort()).isPositive();
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
