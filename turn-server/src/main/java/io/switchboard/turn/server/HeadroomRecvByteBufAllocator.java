package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.WrappedByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Receives each relay datagram into a slice that starts {@link #HEADROOM} bytes into a pooled buffer and ends
 * {@link #TAILROOM} bytes before its end, so that the ChannelData header or Data indication header (RFC 8656 §11.4,
 * §12.4) and the stream padding can be written around the payload in place instead of copying it.
 */
final class HeadroomRecvByteBufAllocator implements RecvByteBufAllocator {
    /** Room for the longest header: a Data indication with an IPv6 XOR-PEER-ADDRESS (20 + 24 + 4 bytes). */
    static final int HEADROOM = 48;
    /** Room for up to 3 bytes of padding. */
    static final int TAILROOM = 4;

    private final int size;
    private final FixedRecvByteBufAllocator delegate;

    /** @param size the largest datagram payload received */
    HeadroomRecvByteBufAllocator(int size, int maxMessagesPerRead) {
        this.size = size;
        this.delegate = new FixedRecvByteBufAllocator(size);
        delegate.maxMessagesPerRead(maxMessagesPerRead);
    }

    int size() {
        return size;
    }

    /**
     * The buffer {@code payload} was received into, when it came from this allocator: its data starts at
     * {@link #HEADROOM} of that buffer. Null otherwise (then the caller copies).
     */
    ByteBuf parentOf(ByteBuf payload) {
        return payload instanceof Received ? ((Received) payload).parent : null;
    }

    /** The receive buffer: a slice of its parent, remembering the parent so the header can go in front. */
    static final class Received extends WrappedByteBuf {
        private final ByteBuf parent;

        Received(ByteBuf slice, ByteBuf parent) {
            super(slice);
            this.parent = parent;
        }
    }

    @Override
    public ExtendedHandle newHandle() {
        return new HeadroomHandle((ExtendedHandle) delegate.newHandle());
    }

    private final class HeadroomHandle implements ExtendedHandle {
        private final ExtendedHandle handle;

        HeadroomHandle(ExtendedHandle handle) {
            this.handle = handle;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            ByteBuf parent = alloc.ioBuffer(HEADROOM + size + TAILROOM);
            // slice() shares the parent's reference count: releasing the received packet releases the parent.
            return new Received(parent.slice(HEADROOM, size).clear(), parent);
        }

        @Override
        public int guess() {
            return size;
        }

        @Override
        public void reset(ChannelConfig config) {
            handle.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            handle.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            handle.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return handle.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            handle.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return handle.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return handle.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return handle.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            handle.readComplete();
        }
    }
}
