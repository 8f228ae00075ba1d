package io.switchboard.client.turn;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.stun.AdditionalAddressFamily;
import io.switchboard.stun.AlternateServer;
import io.switchboard.stun.ChannelDataCodec;
import io.switchboard.stun.ChannelNumber;
import io.switchboard.stun.Data;
import io.switchboard.stun.DontFragment;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.EvenPort;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.Lifetime;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.MessageIntegrity;
import io.switchboard.stun.MessageIntegritySha256;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.PasswordAlgorithm;
import io.switchboard.stun.PasswordAlgorithms;
import io.switchboard.stun.Realm;
import io.switchboard.stun.RequestedAddressFamily;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.ReservationToken;
import io.switchboard.stun.StunAttribute;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.StunStreamFramer;
import io.switchboard.stun.TransactionId;
import io.switchboard.stun.Username;
import io.switchboard.stun.XorMappedAddress;
import io.switchboard.stun.XorPeerAddress;
import io.switchboard.stun.XorRelayedAddress;
import io.switchboard.transport.NettyTransport;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TURN client for one allocation (RFC 8656 §7-§12) over UDP, TCP or TLS. Requests are authenticated with long-term
 * credentials: the first one goes out bare, the 401 supplies realm and nonce, a 438 a fresh nonce (RFC 8489 §9.2.3);
 * responses are checked for integrity. Over UDP requests are retransmitted (RFC 8489 §6.2.1, RTO 500 ms). An Allocate
 * answered with 300 Try Alternate is made again at the ALTERNATE-SERVER, over the same transport and with the same
 * credentials and nonce (RFC 8489 §10); the client then stays with that server ({@link #server()}).
 * Blocking methods; one background event loop per client; thread-safe.
 *
 * <pre>{@code
 * try (TurnClient client = TurnClient.connect(TurnClientConfig.udp(server, "alice", "secret"))) {
 *     TurnAllocation allocation = client.allocate();
 *     client.createPermission(peer);
 *     client.send(peer, "hello".getBytes());
 *     ReceivedData echo = client.receive(Duration.ofSeconds(5)).orElseThrow();
 * }
 * }</pre>
 */
public final class TurnClient implements AutoCloseable {
    private static final Duration RTO = Duration.ofMillis(500);
    private static final int MAX_CHALLENGES = 3;
    /** Redirections followed for one Allocate; a server seen before is never visited twice (RFC 8489 §10). */
    private static final int MAX_REDIRECTS = 3;

    private final TurnClientConfig config;
    private final EventLoopGroup group;
    private volatile Channel channel;
    private volatile InetSocketAddress server;
    private final Map<TransactionId, CompletableFuture<StunMessage>> pending = new ConcurrentHashMap<>();
    private final Map<Integer, InetSocketAddress> channels = new ConcurrentHashMap<>();
    private final BlockingQueue<ReceivedData> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<StunMessage> indications = new LinkedBlockingQueue<>();
    private final Object authLock = new Object();
    private String realm;
    private String nonce;
    private PasswordAlgorithms offered;

    private TurnClient(TurnClientConfig config, EventLoopGroup group, Channel channel) {
        this.config = config;
        this.group = group;
        this.channel = channel;
        this.server = config.server();
    }

    /** Opens the UDP socket or connects over TCP/TLS; no request is sent yet. */
    public static TurnClient connect(TurnClientConfig config) {
        Objects.requireNonNull(config, "config");
        EventLoopGroup group = NettyTransport.best().newEventLoopGroup(1, "turn-client");
        CompletableFuture<TurnClient> self = new CompletableFuture<>();
        try {
            TurnClient client = new TurnClient(config, group, open(config, group, config.server(), self));
            self.complete(client);
            return client;
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** A UDP socket for {@code server}, or a TCP/TLS connection to it. */
    private static Channel open(TurnClientConfig config, EventLoopGroup group, InetSocketAddress server,
                                CompletableFuture<TurnClient> self) {
        NettyTransport transport = NettyTransport.best();
        ChannelFuture future;
        if (config.transport() == TurnClientConfig.Transport.UDP) {
            future = new Bootstrap().group(group).channel(transport.datagramChannel())
                    .option(ChannelOption.SO_RCVBUF, 1 << 20)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new Inbound(self));
                        }
                    })
                    .bind(new InetSocketAddress(sourceAddressFor(server), 0));
        } else {
            future = new Bootstrap().group(group).channel(transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            // the configured name, also after a redirect: the fleet shares one certificate name
                            config.sslContext().ifPresent(ssl -> ch.pipeline().addLast(ssl.newHandler(ch.alloc(),
                                    config.server().getHostString(), server.getPort())));
                            ch.pipeline().addLast(new StreamFramer(), new Inbound(self));
                        }
                    })
                    .connect(server);
        }
        if (!future.awaitUninterruptibly(config.timeout().toMillis()) || !future.isSuccess()) {
            future.channel().close();
            throw new TurnClientException("cannot reach " + server + " over " + config.transport(), future.cause());
        }
        return future.channel();
    }

    /** The local address the system routes to {@code server} from (no packet is sent), or the wildcard. */
    private static java.net.InetAddress sourceAddressFor(InetSocketAddress server) {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket()) {
            probe.connect(server);
            java.net.InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress()) {
                return local;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // fall back to the wildcard
        }
        try {
            return java.net.InetAddress.getByName(server.getAddress() instanceof Inet4Address ? "0.0.0.0" : "::");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The client's own socket address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The server this client talks to: the configured one, or the alternate an Allocate was redirected to. */
    public InetSocketAddress server() {
        return server;
    }

    public TurnClientConfig config() {
        return config;
    }

    /** Allocates a UDP relay with the server's defaults. */
    public TurnAllocation allocate() {
        return allocate(AllocateOptions.DEFAULTS);
    }

    /** Allocates a UDP relay (RFC 8656 §7.1); throws {@link TurnClientException} with the error code on refusal. */
    public TurnAllocation allocate(AllocateOptions options) {
        List<StunAttribute> attributes = new ArrayList<>();
        attributes.add(new RequestedTransport(RequestedTransport.UDP));
        options.lifetime().ifPresent(l -> attributes.add(new Lifetime(l.toSeconds())));
        if (options.ipv6()) {
            attributes.add(new RequestedAddressFamily(RequestedAddressFamily.IPV6));
        }
        if (options.additionalIpv6()) {
            attributes.add(new AdditionalAddressFamily(AdditionalAddressFamily.IPV6));
        }
        if (options.evenPort()) {
            attributes.add(new EvenPort(options.reserveNextPort()));
        }
        options.reservationToken().ifPresent(t -> attributes.add(new ReservationToken(t)));
        if (options.dontFragment()) {
            attributes.add(new DontFragment());
        }
        StunMessage response = require(allocateFollowingRedirects(attributes));
        List<InetSocketAddress> relayed = new ArrayList<>();
        for (XorRelayedAddress a : response.attributes(XorRelayedAddress.class)) {
            relayed.add(a.address());
        }
        InetSocketAddress mapped = response.attribute(XorMappedAddress.class)
                .map(XorMappedAddress::address).orElse(localAddress());
        Duration lifetime = Duration.ofSeconds(response.attribute(Lifetime.class).map(Lifetime::seconds).orElse(0L));
        OptionalLong token = response.attribute(ReservationToken.class)
                .map(t -> OptionalLong.of(t.token())).orElse(OptionalLong.empty());
        if (relayed.isEmpty()) {
            throw new TurnClientException("Allocate success without XOR-RELAYED-ADDRESS");
        }
        return new TurnAllocation(relayed, mapped, lifetime, token);
    }

    /**
     * Sends the Allocate; on 300 Try Alternate with an ALTERNATE-SERVER not tried yet (and signed, when the request
     * was), moves to that server and sends it again there (RFC 8489 §10).
     */
    private StunMessage allocateFollowingRedirects(List<StunAttribute> attributes) {
        synchronized (authLock) {
            List<InetSocketAddress> tried = new ArrayList<>(List.of(server));
            while (true) {
                StunMessage response = exchange(StunMethod.ALLOCATE.request(), attributes);
                int code = response.attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
                Optional<AlternateServer> alternate = response.attribute(AlternateServer.class);
                boolean signed = response.attribute(MessageIntegrity.class).isPresent()
                        || response.attribute(MessageIntegritySha256.class).isPresent();
                if (code != ErrorCode.TRY_ALTERNATE || alternate.isEmpty() || (nonce != null && !signed)
                        || tried.contains(alternate.get().address()) || tried.size() > MAX_REDIRECTS) {
                    return response;
                }
                moveTo(alternate.get().address());
                tried.add(server);
            }
        }
    }

    /** Closes the way to the current server and opens one to {@code next}; realm and nonce are kept. */
    private void moveTo(InetSocketAddress next) {
        CompletableFuture<TurnClient> self = CompletableFuture.completedFuture(this);
        Channel opened = open(config, group, next, self);
        Channel old = channel;
        channel = opened;
        server = next;
        old.close();
    }

    /** Refreshes the allocation (RFC 8656 §8); a zero lifetime deletes it. Returns the lifetime granted. */
    public Duration refresh(Duration lifetime) {
        StunMessage response = require(exchange(StunMethod.REFRESH.request(), List.of(new Lifetime(lifetime.toSeconds()))));
        return Duration.ofSeconds(response.attribute(Lifetime.class).map(Lifetime::seconds).orElse(0L));
    }

    /** Installs or refreshes permissions for these peers' IP addresses in one request (RFC 8656 §9.1). */
    public void createPermission(InetSocketAddress... peers) {
        List<StunAttribute> attributes = new ArrayList<>();
        for (InetSocketAddress peer : peers) {
            attributes.add(new XorPeerAddress(peer));
        }
        require(exchange(StunMethod.CREATE_PERMISSION.request(), attributes));
    }

    /** Binds channel {@code number} (0x4000-0x4FFF) to {@code peer} (RFC 8656 §11.1). */
    public void bindChannel(int number, InetSocketAddress peer) {
        require(exchange(StunMethod.CHANNEL_BIND.request(), List.of(new ChannelNumber(number), new XorPeerAddress(peer))));
        channels.put(number, peer);
    }

    /** Sends data to a peer in a Send indication (RFC 8656 §10.1); no answer comes back. */
    public void send(InetSocketAddress peer, byte[] data) {
        StunMessage indication = StunMessage.builder(StunMethod.SEND.indication())
                .add(new XorPeerAddress(peer)).add(new Data(data)).build();
        write(Unpooled.wrappedBuffer(indication.toBytes()));
    }

    /** Sends data on a bound channel as ChannelData (RFC 8656 §12.4), padded over streams. */
    public void sendChannelData(int number, byte[] data) {
        boolean pad = config.transport() != TurnClientConfig.Transport.UDP;
        ByteBuf frame = channel.alloc().buffer(4 + data.length + 3);
        frame.writeShort(number).writeShort(data.length).writeBytes(data);
        if (pad) {
            frame.writeZero(ChannelDataCodec.paddedLength(data.length) - data.length);
        }
        write(frame);
    }

    /** The next relayed data, waiting up to {@code timeout}. */
    public Optional<ReceivedData> receive(Duration timeout) {
        try {
            return Optional.ofNullable(received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The next indication from the server other than Data, such as an RFC 6062 ConnectionAttempt, waiting up to
     * {@code timeout}.
     */
    public Optional<StunMessage> receiveIndication(Duration timeout) {
        try {
            return Optional.ofNullable(indications.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Sends an authenticated request of this type with these attributes (answering 401 and 438 challenges) and
     * returns the final response, success or error, without throwing on an error code.
     */
    public StunMessage exchange(MessageType type, List<? extends StunAttribute> attributes) {
        synchronized (authLock) {
            StunMessage response = null;
            for (int attempt = 0; attempt <= MAX_CHALLENGES; attempt++) {
                boolean signed = nonce != null;
                StunMessage request = build(type, attributes, signed);
                response = transact(request);
                int code = response.attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
                boolean challenge = (code == ErrorCode.UNAUTHENTICATED && !signed) || code == ErrorCode.STALE_NONCE;
                if (challenge && response.attribute(Nonce.class).isPresent()) {
                    nonce = response.attribute(Nonce.class).get().nonce();
                    response.attribute(Realm.class).ifPresent(r -> realm = r.realm());
                    offered = response.attribute(PasswordAlgorithms.class).orElse(null);
                    continue;
                }
                if (signed && !verify(response)) {
                    throw new TurnClientException("response to " + type + " fails its integrity check");
                }
                return response;
            }
            return response;
        }
    }

    /** Sends a request as it is, without credentials, and returns the response (for tests of the server). */
    public StunMessage transact(StunMessage request) {
        CompletableFuture<StunMessage> answer = new CompletableFuture<>();
        pending.put(request.transactionId(), answer);
        ScheduledFuture<?> retransmission = null;
        try {
            byte[] bytes = request.toBytes();
            write(Unpooled.wrappedBuffer(bytes));
            if (config.transport() == TurnClientConfig.Transport.UDP) {
                retransmission = scheduleRetransmission(bytes, answer, RTO.toMillis(), 1);
            }
            return answer.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TurnClientException("no answer to " + request.type() + " from " + server + " within "
                    + config.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new TurnClientException("transaction failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TurnClientException("interrupted", e);
        } finally {
            pending.remove(request.transactionId());
            if (retransmission != null) {
                retransmission.cancel(false);
            }
        }
    }

    /** Writes raw bytes to the server: a datagram over UDP, stream bytes over TCP (for tests of the server). */
    public void writeRaw(byte[] bytes) {
        write(Unpooled.wrappedBuffer(bytes));
    }

    private ScheduledFuture<?> scheduleRetransmission(byte[] bytes, CompletableFuture<StunMessage> answer, long delay,
                                                      int sent) {
        return channel.eventLoop().schedule(() -> {
            if (!answer.isDone() && sent < 7 && channel.isActive()) {
                write(Unpooled.wrappedBuffer(bytes));
                scheduleRetransmission(bytes, answer, delay * 2, sent + 1);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private StunMessage build(MessageType type, List<? extends StunAttribute> attributes, boolean signed) {
        StunMessage.Builder builder = StunMessage.builder(type);
        for (StunAttribute attribute : attributes) {
            builder.add(attribute);
        }
        if (!signed) {
            return builder.fingerprint().build();
        }
        builder.add(new Username(config.username())).add(new Realm(realm)).add(new Nonce(nonce));
        PasswordAlgorithm algorithm = PasswordAlgorithm.MD5_ALGORITHM;
        if (config.sha256() && offered != null && offered.algorithms().contains(PasswordAlgorithm.SHA256_ALGORITHM)) {
            algorithm = PasswordAlgorithm.SHA256_ALGORITHM;
            builder.add(offered).add(algorithm);
        }
        byte[] key = IntegrityKeys.longTerm(algorithm, config.username(), realm, config.password());
        if (config.sha256()) {
            builder.messageIntegritySha256(key);
        } else {
            builder.messageIntegrity(key);
        }
        return builder.fingerprint().build();
    }

    private boolean verify(StunMessage response) {
        PasswordAlgorithm algorithm = config.sha256() && offered != null
                && offered.algorithms().contains(PasswordAlgorithm.SHA256_ALGORITHM)
                ? PasswordAlgorithm.SHA256_ALGORITHM : PasswordAlgorithm.MD5_ALGORITHM;
        byte[] key = IntegrityKeys.longTerm(algorithm, config.username(), realm, config.password());
        if (response.attribute(MessageIntegritySha256.class).isPresent()) {
            return MessageIntegritySha256.verify(response, key);
        }
        if (response.attribute(MessageIntegrity.class).isPresent()) {
            return MessageIntegrity.verify(response, key);
        }
        // Success must be signed; an error may come unsigned (RFC 8489 §9.2.4: 400, 401, 438; coturn also sends 437
        // unsigned) and grants nothing, so it is believed.
        return response.messageClass() == MessageClass.ERROR_RESPONSE;
    }

    private static StunMessage require(StunMessage response) {
        if (response.messageClass() == MessageClass.ERROR_RESPONSE) {
            ErrorCode error = response.attribute(ErrorCode.class).orElse(new ErrorCode(500, "no ERROR-CODE"));
            throw new TurnClientException(error.code(), response.method() + " failed: " + error.code() + " "
                    + error.reason(), null);
        }
        return response;
    }

    private void write(ByteBuf bytes) {
        if (config.transport() == TurnClientConfig.Transport.UDP) {
            channel.writeAndFlush(new DatagramPacket(bytes, server));
        } else {
            channel.writeAndFlush(bytes);
        }
    }

    private void onFrame(ByteBuf frame, InetSocketAddress sender) {
        if (frame.readableBytes() < 4) {
            return;
        }
        int first = frame.getUnsignedByte(frame.readerIndex());
        if ((first & 0xC0) == 0x40) {
            int number = frame.getUnsignedShort(frame.readerIndex());
            int length = frame.getUnsignedShort(frame.readerIndex() + 2);
            InetSocketAddress peer = channels.get(number);
            if (peer != null && length <= frame.readableBytes() - 4) {
                byte[] data = new byte[length];
                frame.getBytes(frame.readerIndex() + 4, data);
                received.add(new ReceivedData(peer, number, data));
            }
            return;
        }
        StunMessage message;
        try {
            message = StunMessage.decode(ByteBufUtil.getBytes(frame));
        } catch (StunDecodeException e) {
            return;
        }
        if (message.messageClass() == MessageClass.INDICATION && message.method().equals(StunMethod.DATA)) {
            Optional<XorPeerAddress> peer = message.attribute(XorPeerAddress.class);
            Optional<Data> data = message.attribute(Data.class);
            if (peer.isPresent() && data.isPresent()) {
                received.add(new ReceivedData(peer.get().address(), 0, data.get().data()));
            }
            return;
        }
        if (message.messageClass() == MessageClass.INDICATION) {
            indications.add(message);
            return;
        }
        CompletableFuture<StunMessage> answer = pending.get(message.transactionId());
        if (answer != null && (message.messageClass() == MessageClass.SUCCESS_RESPONSE
                || message.messageClass() == MessageClass.ERROR_RESPONSE)) {
            answer.complete(message);
        }
    }

    /** Deletes nothing on the server by itself: call {@code refresh(Duration.ZERO)} first to free the allocation. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        pending.values().forEach(f -> f.completeExceptionally(new TurnClientException("client closed")));
    }

    private static final class Inbound extends SimpleChannelInboundHandler<Object> {
        private final CompletableFuture<TurnClient> client;

        Inbound(CompletableFuture<TurnClient> client) {
            this.client = client;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            TurnClient self = client.getNow(null);
            if (self == null) {
                return;
            }
            if (msg instanceof DatagramPacket) {
                self.onFrame(((DatagramPacket) msg).content(), ((DatagramPacket) msg).sender());
            } else {
                self.onFrame((ByteBuf) msg, null);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            TurnClient self = client.getNow(null);
            if (self != null && self.channel == ctx.channel()) { // not the way to a server it was redirected from
                self.pending.values().forEach(f -> f.completeExceptionally(new TurnClientException("connection closed")));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(ctx.channel() instanceof io.netty.channel.socket.DatagramChannel)) {
                ctx.close();
            }
        }
    }

    /** Cuts STUN messages and ChannelData frames out of the TCP stream (RFC 8656 §12.5). */
    private static final class StreamFramer extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws StunDecodeException {
            while (in.readableBytes() >= 4) {
                int first = in.getUnsignedByte(in.readerIndex());
                int length;
                if ((first & 0xC0) == 0x40) {
                    // ChannelData, padded over streams; RFC 5766 numbers up to 0x7FFF included.
                    length = 4 + ChannelDataCodec.paddedLength(in.getUnsignedShort(in.readerIndex() + 2));
                } else {
                    byte[] head = new byte[4];
                    in.getBytes(in.readerIndex(), head);
                    length = StunStreamFramer.frameLength(head, 0, 4);
                }
                if (in.readableBytes() < length) {
                    return;
                }
                out.add(in.readRetainedSlice(length));
            }
        }
    }
}
