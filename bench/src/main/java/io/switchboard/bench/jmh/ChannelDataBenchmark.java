package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.switchboard.stun.ChannelDataCodec;
import io.switchboard.stun.StunDecodeException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The per-packet work of the relay path (RFC 8656 §12): check a received ChannelData datagram and read its channel
 * number (client to peer), and put a ChannelData header in front of a peer's datagram (peer to client), on arrays
 * and on pooled direct Netty buffers as the server does, on a thread like an event loop's. Run with {@code -prof gc}:
 * every method should show {@code gc.alloc.rate.norm} of about 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=io.switchboard.bench.jmh.FastThreadExecutor"})
@State(Scope.Thread)
public class ChannelDataBenchmark {
    @Param({"100", "1200"})
    public int size;

    private byte[] datagram;
    private byte[] peerData;
    private byte[] outArray;
    private ByteBuf received;
    private ByteBuf peerDatagram;

    @Setup(Level.Trial)
    public void setUp() {
        peerData = new byte[size];
        ThreadLocalRandom.current().nextBytes(peerData);
        datagram = new byte[ChannelDataCodec.HEADER_LENGTH + size];
        ChannelDataCodec.writeHeader(datagram, 0, 0x4001, size);
        System.arraycopy(peerData, 0, datagram, ChannelDataCodec.HEADER_LENGTH, size);
        outArray = new byte[ChannelDataCodec.HEADER_LENGTH + size];
        received = PooledByteBufAllocator.DEFAULT.directBuffer(datagram.length).writeBytes(datagram);
        peerDatagram = PooledByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(peerData);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        received.release();
        peerDatagram.release();
    }

    /** Client to peer on arrays: validate the datagram, read the channel, hand on the data's offset and length. */
    @Benchmark
    public int clientToPeerArray() throws StunDecodeException {
        int length = ChannelDataCodec.checkDatagram(datagram, 0, datagram.length);
        return ChannelDataCodec.channelNumber(datagram, 0) ^ length;
    }

    /** Peer to client on arrays: write the 4-byte header, then the data, into a reused output array. */
    @Benchmark
    public int peerToClientArray() {
        int at = ChannelDataCodec.writeHeader(outArray, 0, 0x4001, size);
        System.arraycopy(peerData, 0, outArray, at, size);
        return outArray[size];
    }

    /** Client to peer on a pooled direct buffer: header read in place, data passed on as a retained slice. */
    @Benchmark
    public int clientToPeerNetty() {
        int start = received.readerIndex();
        int channel = received.getUnsignedShort(start);
        int length = received.getUnsignedShort(start + 2);
        if (length > received.readableBytes() - ChannelDataCodec.HEADER_LENGTH
                || !ChannelDataCodec.isValidChannelNumber(channel)) {
            return -1;
        }
        ByteBuf data = received.retainedSlice(start + ChannelDataCodec.HEADER_LENGTH, length);
        int result = data.readableBytes() ^ channel;
        data.release();
        return result;
    }

    /** Peer to client on pooled direct buffers: a header buffer and the peer's data as one composite-free write. */
    @Benchmark
    public int peerToClientNetty() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(ChannelDataCodec.HEADER_LENGTH + size);
        out.writeShort(0x4001).writeShort(size).writeBytes(peerDatagram, peerDatagram.readerIndex(), size);
        int result = out.readableBytes();
        out.release();
        return result;
    }
}
