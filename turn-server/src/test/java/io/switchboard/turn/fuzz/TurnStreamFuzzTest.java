package io.switchboard.turn.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.turn.allocation.FiveTuple;
import io.switchboard.turn.allocation.Transport;
import io.switchboard.turn.server.EmbeddedTurnServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes one TCP connection to the server per input: the stream framer (STUN and ChannelData frames, garbage that must
 * close the connection), then the same requests, Send indications and ChannelData as the datagram target, cut into
 * chunks at arbitrary places. The connection stays open or is closed, nothing escapes, every buffer is released,
 * replies pass {@link ServerReplies#check} with stream padding, and when the connection ends its allocation is gone.
 */
class TurnStreamFuzzTest {
    private static final java.util.concurrent.atomic.AtomicLong EXECUTIONS = new java.util.concurrent.atomic.AtomicLong();
    private FuzzServer fuzz;
    private int connections;

    @FuzzTest(maxDuration = "10s")
    void stream(FuzzedDataProvider data) throws Exception {
        EXECUTIONS.incrementAndGet();
        if (fuzz == null) {
            fuzz = new FuzzServer();
        }
        fuzz.advance(7200);
        InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000 + connections++ % 10000);
        EmbeddedChannel tcp = fuzz.server.tcp(client);
        FuzzedTurnTraffic traffic = new FuzzedTurnTraffic(data, fuzz.sink());
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int messages = data.consumeInt(1, 6);
        for (int i = 0; i < messages && data.remainingBytes() > 0; i++) {
            byte[] packet = data.consumeInt(0, 4) == 0 ? traffic.channelData()
                    : traffic.next(fresh -> fuzz.server.nonce(client.getAddress()));
            stream.writeBytes(packet);
        }
        byte[] bytes = stream.toByteArray();
        List<ByteBuf> chunks = new ArrayList<>();
        int offset = 0;
        while (offset < bytes.length && tcp.isOpen()) {
            int length = Math.min(bytes.length - offset, data.remainingBytes() > 0 ? data.consumeInt(1, 200) : bytes.length);
            ByteBuf chunk = Unpooled.directBuffer(length).writeBytes(bytes, offset, length);
            chunks.add(chunk);
            tcp.writeInbound(chunk);
            offset += length;
            fuzz.assertNothingEscaped();
        }
        for (Object sent; (sent = EmbeddedTurnServer.sent(tcp)) != null; ) {
            try {
                ByteBuf frame = (ByteBuf) sent;
                assertThat(frame.readableBytes() & 3).as("stream frames are padded to 4 bytes").isZero();
                ServerReplies.check(frame, null, false);
            } finally {
                FuzzServer.release(sent);
            }
        }
        tcp.close();
        tcp.finishAndReleaseAll();
        for (ByteBuf chunk : chunks) {
            FuzzServer.assertReleased(chunk);
        }
        fuzz.assertNothingEscaped();
        assertThat(fuzz.server.table().find(new FiveTuple(client, EmbeddedTurnServer.SERVER, Transport.TCP)))
                .as("the allocation ends with its connection").isEmpty();
    }

    @AfterEach
    void close() {
        if (fuzz != null) {
            fuzz.close();
            fuzz = null;
        }
    }

    @AfterAll
    static void report() {
        System.out.println("fuzz executions TurnStreamFuzzTest.stream: " + EXECUTIONS.get());
    }
}
