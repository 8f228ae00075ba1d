package io.switchboard.bench.turn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.Realm;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.XorRelayedAddress;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TURN client with its own UDP socket (so its own five-tuple): Allocate with the long-term credential challenge,
 * then optionally ChannelBind to one peer, then ChannelData both ways (RFC 8656 §7, §11, §12). Runs on one event
 * loop.
 */
public final class TurnSession extends ChannelInboundHandlerAdapter {
    /** Called on the session's event loop for every ChannelData message the server delivers. */
    public interface DataListener {
        void onChannelData(TurnSession session, ByteBuf channelData);

        /** Called after a batch of reads, so writes made while reading can be flushed together. */
        default void onReadComplete(TurnSession session) {
        }
    }

    private static final int RETRANSMIT_MILLIS = 1000;
    private static final int MAX_ATTEMPTS = 7;
    private static final int MAX_CHALLENGES = 3;

    private final TurnRequests requests;
    private final InetSocketAddress peer;
    private final int channelNumber;
    private final DataListener listener;
    private final CompletableFuture<TurnSession> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    private DatagramChannel channel;
    private StunMessage pending;
    private byte[] pendingBytes;
    private int attempts;
    private int challenges;
    private ScheduledFuture<?> retransmit;
    private InetSocketAddress relayedAddress;
    private long startedNanos;
    private long readyNanos;

    /** Fields the traffic driver owns (same event loop). */
    long nextSequence;
    long highestEchoed = -1;
    long lastProgressNanos;
    boolean dirty;

    /**
     * @param peer the peer to bind {@code channelNumber} to, or {@code null} to stop after the allocation
     */
    public TurnSession(TurnCredentials credentials, InetSocketAddress peer, int channelNumber, DataListener listener) {
        this.requests = new TurnRequests(credentials);
        this.peer = peer;
        this.channelNumber = channelNumber;
        this.listener = listener;
    }

    /** Completes when the allocation (and the channel, when a peer was given) is in place. */
    public CompletableFuture<TurnSession> ready() {
        return ready;
    }

    public DatagramChannel channel() {
        return channel;
    }

    public int channelNumber() {
        return channelNumber;
    }

    /** Nanoseconds from the first Allocate to the session being ready. */
    public long handshakeNanos() {
        return readyNanos - startedNanos;
    }

    public Optional<InetSocketAddress> relayedAddress() {
        return Optional.ofNullable(relayedAddress);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = (DatagramChannel) ctx.channel();
        startedNanos = System.nanoTime();
        send(requests.allocate());
        ctx.fireChannelActive();
    }

    /** Deletes the allocation (Refresh with lifetime 0, RFC 8656 §7.2); completes when answered or given up. */
    public CompletableFuture<Void> release() {
        channel.eventLoop().execute(() -> {
            if (relayedAddress == null) {
                released.complete(null);
            } else {
                send(requests.refresh(0));
            }
        });
        return released;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        try {
            ByteBuf content = packet.content();
            if (content.readableBytes() >= 4 && (content.getByte(content.readerIndex()) & 0xC0) == 0x40) {
                listener.onChannelData(this, content);
            } else {
                onStun(ByteBufUtil.getBytes(content));
            }
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        listener.onReadComplete(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelRetransmit();
        ready.completeExceptionally(new IllegalStateException("socket closed"));
        released.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port unreachable and the like: the retransmission timer decides.
    }

    private void onStun(byte[] bytes) {
        StunMessage message;
        try {
            message = StunMessage.decode(bytes);
        } catch (StunDecodeException e) {
            return;
        }
        if (pending == null || !message.transactionId().equals(pending.transactionId())) {
            return;
        }
        cancelRetransmit();
        StunMethod method = message.method();
        if (message.messageClass() == MessageClass.ERROR_RESPONSE) {
            onError(method, message);
        } else if (message.messageClass() == MessageClass.SUCCESS_RESPONSE) {
            onSuccess(method, message);
        }
    }

    private void onError(StunMethod method, StunMessage message) {
        int code = message.attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
        if ((code == 401 || code == 438) && challenges++ < MAX_CHALLENGES) {
            requests.challenge(message.attribute(Realm.class).map(Realm::realm).orElse(""),
                    message.attribute(Nonce.class).map(Nonce::nonce).orElse(""));
            if (method.equals(StunMethod.ALLOCATE)) {
                send(requests.allocate());
            } else if (method.equals(StunMethod.CHANNEL_BIND)) {
                send(requests.channelBind(channelNumber, peer));
            } else {
                send(requests.refresh(0));
            }
            return;
        }
        pending = null;
        if (method.equals(StunMethod.REFRESH)) {
            released.complete(null);
        } else {
            fail(method.displayName() + " answered " + code);
        }
    }

    private void onSuccess(StunMethod method, StunMessage message) {
        pending = null;
        challenges = 0;
        if (method.equals(StunMethod.ALLOCATE)) {
            relayedAddress = message.attribute(XorRelayedAddress.class).map(XorRelayedAddress::address).orElse(null);
            if (peer == null) {
                readyNanos = System.nanoTime();
                ready.complete(this);
            } else {
                send(requests.channelBind(channelNumber, peer));
            }
        } else if (method.equals(StunMethod.CHANNEL_BIND)) {
            lastProgressNanos = System.nanoTime();
            readyNanos = lastProgressNanos;
            ready.complete(this);
        } else if (method.equals(StunMethod.REFRESH)) {
            relayedAddress = null;
            released.complete(null);
        }
    }

    private void send(StunMessage request) {
        pending = request;
        pendingBytes = request.toBytes();
        attempts = 0;
        transmit();
    }

    private void transmit() {
        if (!channel.isActive()) {
            return;
        }
        if (attempts++ >= MAX_ATTEMPTS) {
            StunMethod method = pending.method();
            pending = null;
            if (method.equals(StunMethod.REFRESH)) {
                released.complete(null);
            } else {
                fail(method.displayName() + ": no answer after " + MAX_ATTEMPTS + " attempts");
            }
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(pendingBytes), channel.voidPromise());
        retransmit = channel.eventLoop().schedule(this::transmit, RETRANSMIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void cancelRetransmit() {
        if (retransmit != null) {
            retransmit.cancel(false);
            retransmit = null;
        }
    }

    private void fail(String why) {
        ready.completeExceptionally(new IllegalStateException(why));
    }
}
