package io.switchboard.client.stun;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.Fingerprint;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.StunAttribute;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.TransactionId;
import io.switchboard.transport.NettyTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A STUN client: Binding requests over UDP with the retransmissions of RFC 8489 §6.2.1, and over TCP with the
 * single 39.5 s wait of §6.2.2. One UDP socket per client, so that the NAT tests of RFC 5780 can send several requests
 * from the same local address; responses are matched by transaction id, whatever address they come from.
 *
 * <pre>{@code
 * try (StunClient client = StunClient.open(StunClientOptions.defaults())) {
 *     InetSocketAddress mapped = client.binding(server).mappedAddress();
 * }
 * }</pre>
 */
public final class StunClient implements AutoCloseable {
    private final StunClientOptions options;
    private final NettyTransport transport;
    private final EventLoopGroup group;
    private final Channel udp;
    /** Pending UDP transactions; touched only on the channel's event loop. */
    private final Map<TransactionId, Transaction> pending = new HashMap<>();

    private StunClient(StunClientOptions options, NettyTransport transport, EventLoopGroup group, Channel udp) {
        this.options = options;
        this.transport = transport;
        this.group = group;
        this.udp = udp;
    }

    /** Binds the UDP socket at {@code options.localAddress()}. */
    public static StunClient open(StunClientOptions options) throws StunClientException {
        Objects.requireNonNull(options, "options");
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newEventLoopGroup(1, "stun-client");
        AtomicReference<StunClient> self = new AtomicReference<>();
        try {
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(transport.datagramChannel())
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(new UdpResponseHandler(self));
                        }
                    })
                    .bind(options.localAddress()).sync().channel();
            StunClient client = new StunClient(options, transport, group, channel);
            self.set(client);
            return client;
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new StunClientException("cannot bind a UDP socket at "
                    + StunServerAddress.format(options.localAddress()) + ": " + e.getMessage(), e);
        }
    }

    public StunClientOptions options() {
        return options;
    }

    /** The UDP socket's local address (with the port the system picked). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) udp.localAddress();
    }

    /** A Binding request over UDP, retransmitted until a response or {@link StunClientOptions#giveUpAfter()}. */
    public BindingResponse binding(InetSocketAddress server) throws StunClientException {
        return binding(server, List.of());
    }

    /** A Binding request carrying extra attributes (CHANGE-REQUEST, PADDING, RESPONSE-PORT...). */
    public BindingResponse binding(InetSocketAddress server, List<StunAttribute> attributes) throws StunClientException {
        return await(bindingAsync(server, attributes));
    }

    /** The asynchronous form of {@link #binding(InetSocketAddress, List)}. */
    public CompletableFuture<BindingResponse> bindingAsync(InetSocketAddress server, List<StunAttribute> attributes) {
        CompletableFuture<BindingResponse> result = new CompletableFuture<>();
        if (server.isUnresolved()) {
            result.completeExceptionally(new StunClientException("STUN server " + server + " is unresolved"));
            return result;
        }
        StunMessage request = StunMessage.builder(MessageType.BINDING_REQUEST).addAll(attributes).fingerprint().build();
        Transaction tx = new Transaction(request, server, result);
        udp.eventLoop().execute(() -> start(tx));
        return result;
    }

    /** A Binding request over a new TCP connection, waiting at most {@link StunClientOptions#tcpTimeout()}. */
    public BindingResponse bindingOverTcp(InetSocketAddress server) throws StunClientException {
        return await(bindingOverTcpAsync(server));
    }

    public CompletableFuture<BindingResponse> bindingOverTcpAsync(InetSocketAddress server) {
        CompletableFuture<BindingResponse> result = new CompletableFuture<>();
        StunMessage request = StunMessage.builder(MessageType.BINDING_REQUEST).fingerprint().build();
        long started = System.nanoTime();
        Duration timeout = options.tcpTimeout();
        ChannelFuture connect = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new StunFrameDecoder(), new TcpResponseHandler(request, server, started, result));
                    }
                })
                .connect(server);
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new StunClientException("cannot connect to STUN server "
                        + StunServerAddress.format(server) + " over TCP: " + f.cause().getMessage(), f.cause()));
                return;
            }
            Channel ch = f.channel();
            ch.writeAndFlush(Unpooled.wrappedBuffer(request.toBytes()));
            long left = timeout.toNanos() - (System.nanoTime() - started);
            ch.eventLoop().schedule(() -> {
                if (result.completeExceptionally(new StunTimeoutException(server, 1, timeout, "TCP"))) {
                    ch.close();
                }
            }, Math.max(0, left), TimeUnit.NANOSECONDS);
            result.whenComplete((r, e) -> ch.close());
        });
        return result;
    }

    private void start(Transaction tx) {
        if (!udp.isActive()) {
            tx.result.completeExceptionally(new StunClientException("STUN client is closed"));
            return;
        }
        pending.put(tx.request.transactionId(), tx);
        tx.started = System.nanoTime();
        send(tx);
    }

    private void send(Transaction tx) {
        if (tx.result.isDone()) {
            return;
        }
        tx.attempts++;
        udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(tx.request.toBytes()), tx.server));
        Duration wait = tx.attempts < options.maxRequests()
                ? options.initialRto().multipliedBy(1L << (tx.attempts - 1))
                : options.initialRto().multipliedBy(options.lastWaitMultiplier());
        udp.eventLoop().schedule(() -> {
            if (tx.result.isDone()) {
                return;
            }
            if (tx.attempts < options.maxRequests()) {
                send(tx);
            } else {
                pending.remove(tx.request.transactionId());
                tx.result.completeExceptionally(new StunTimeoutException(tx.server, tx.attempts, options.giveUpAfter(), ""));
            }
        }, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A datagram arrived: match it to a pending transaction, or drop it (RFC 8489 §6.3.3). */
    private void received(StunMessage message, InetSocketAddress source) {
        Transaction tx = pending.get(message.transactionId());
        if (tx == null || message.method().code() != StunMethod.BINDING.code() || !message.messageClass().isResponse()) {
            return;
        }
        if (message.contains(io.switchboard.stun.AttributeType.FINGERPRINT) && !Fingerprint.verify(message)) {
            return;
        }
        pending.remove(message.transactionId());
        complete(tx.result, message, tx.server, source, localAddress(), tx.started);
    }

    static void complete(CompletableFuture<BindingResponse> result, StunMessage message, InetSocketAddress server,
                         InetSocketAddress source, InetSocketAddress local, long started) {
        Duration roundTrip = Duration.ofNanos(System.nanoTime() - started);
        try {
            if (message.messageClass() == MessageClass.ERROR_RESPONSE) {
                ErrorCode error = message.attribute(ErrorCode.class).orElse(new ErrorCode(ErrorCode.SERVER_ERROR, "no ERROR-CODE"));
                result.completeExceptionally(new StunErrorResponseException(server, error));
            } else {
                result.complete(BindingResponse.of(message, server, source, local, roundTrip));
            }
        } catch (StunClientException e) {
            result.completeExceptionally(e);
        }
    }

    private static BindingResponse await(CompletableFuture<BindingResponse> future) throws StunClientException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StunClientException("interrupted while waiting for a STUN response", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StunClientException) {
                throw (StunClientException) e.getCause();
            }
            throw new StunClientException("STUN transaction failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        udp.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        StunClientException closed = new StunClientException("STUN client closed");
        for (Transaction tx : pending.values()) {
            tx.result.completeExceptionally(closed);
        }
    }

    /** One outstanding UDP request; mutated only on the event loop. */
    private static final class Transaction {
        final StunMessage request;
        final InetSocketAddress server;
        final CompletableFuture<BindingResponse> result;
        int attempts;
        long started;

        Transaction(StunMessage request, InetSocketAddress server, CompletableFuture<BindingResponse> result) {
            this.request = request;
            this.server = server;
            this.result = result;
        }
    }

    /** Decodes datagrams and hands STUN responses to the client; anything undecodable is dropped. */
    private static final class UdpResponseHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final AtomicReference<StunClient> client;

        UdpResponseHandler(AtomicReference<StunClient> client) {
            this.client = client;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            StunClient owner = client.get();
            if (owner == null) {
                return;
            }
            try {
                owner.received(StunMessage.decode(ByteBufUtil.getBytes(packet.content())), packet.sender());
            } catch (StunDecodeException dropped) {
                // not a STUN message for us: RFC 8489 §6.3 says to discard it
            }
        }
    }

    /** Completes the TCP transaction with the first STUN frame, or fails it when the stream is not STUN. */
    private static final class TcpResponseHandler extends SimpleChannelInboundHandler<byte[]> {
        private final StunMessage request;
        private final InetSocketAddress server;
        private final long started;
        private final CompletableFuture<BindingResponse> result;

        TcpResponseHandler(StunMessage request, InetSocketAddress server, long started, CompletableFuture<BindingResponse> result) {
            this.request = request;
            this.server = server;
            this.started = started;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, byte[] frame) {
            try {
                StunMessage message = StunMessage.decode(frame);
                if (message.transactionId().equals(request.transactionId()) && message.messageClass().isResponse()) {
                    complete(result, message, server, (InetSocketAddress) ctx.channel().remoteAddress(),
                            (InetSocketAddress) ctx.channel().localAddress(), started);
                }
            } catch (StunDecodeException e) {
                result.completeExceptionally(new StunClientException("STUN server " + StunServerAddress.format(server)
                        + " sent an undecodable response over TCP: " + e.getMessage(), e));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new StunClientException("STUN server " + StunServerAddress.format(server)
                    + " closed the TCP connection without answering"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(new StunClientException("STUN over TCP to " + StunServerAddress.format(server)
                    + " failed: " + cause.getMessage(), cause));
            ctx.close();
        }
    }
}
