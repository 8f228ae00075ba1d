package io.switchboard.turn.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.StunMessage;
import io.switchboard.turn.server.EmbeddedTurnServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the UDP listener as a client reaches it: the demultiplexer (STUN, ChannelData, garbage), the Send indication
 * fast path, and every request handler behind the real allocation table, with requests that carry valid
 * MESSAGE-INTEGRITY (SHA-1 or SHA-256) so that the fuzzer gets past authentication to Allocate, Refresh,
 * CreatePermission and ChannelBind, plus moves of the clock that expire what it built. Three clients share the server;
 * each input starts from an empty one.
 *
 * <p>For every datagram: no exception escapes a handler, the buffer is released, and every reply satisfies
 * {@link ServerReplies#check} (decodes, no stale bytes, no amplification). With JAZZER_FUZZ=1 (this module's pom) every
 * {@code mvn verify} fuzzes for {@code maxDuration}; the inputs in {@code TurnDatagramFuzzTestInputs} run as a
 * regression test otherwise.
 */
class TurnDatagramFuzzTest {
    private static final java.util.concurrent.atomic.AtomicLong EXECUTIONS = new java.util.concurrent.atomic.AtomicLong();
    private static final InetSocketAddress[] CLIENTS = {
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 40002),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 40003)};

    private FuzzServer fuzz;
    private EmbeddedChannel udp;

    @FuzzTest(maxDuration = "10s")
    void datagrams(FuzzedDataProvider data) {
        EXECUTIONS.incrementAndGet();
        if (fuzz == null) {
            fuzz = new FuzzServer();
            udp = fuzz.server.udp();
        }
        // Every input starts from an empty server (two hours on, everything expired), so that a finding replays alone.
        fuzz.advance(7200);
        FuzzedTurnTraffic traffic = new FuzzedTurnTraffic(data, fuzz.sink());
        int operations = data.consumeInt(1, 8);
        for (int i = 0; i < operations && data.remainingBytes() > 0; i++) {
            InetSocketAddress client = CLIENTS[data.consumeInt(0, CLIENTS.length - 1)];
            if (data.consumeInt(0, 15) == 0) {
                fuzz.advance(data.consumeInt(0, 900));
                continue;
            }
            byte[] packet = traffic.next(fresh -> fuzz.server.nonce(client.getAddress()));
            ByteBuf content = Unpooled.directBuffer(Math.max(packet.length, 1)).writeBytes(packet);
            udp.writeInbound(new DatagramPacket(content, EmbeddedTurnServer.SERVER, client));
            FuzzServer.assertReleased(content);
            fuzz.assertNothingEscaped();
            for (Object sent; (sent = EmbeddedTurnServer.sent(udp)) != null; ) {
                try {
                    DatagramPacket datagram = (DatagramPacket) sent;
                    Optional<StunMessage> reply = ServerReplies.check(datagram.content(),
                            datagram.recipient().equals(client) ? packet : null, true);
                    if (reply.isPresent() && reply.get().messageClass() != MessageClass.INDICATION) {
                        assertThat(datagram.recipient()).as("a response goes to the requester").isEqualTo(client);
                    }
                } finally {
                    FuzzServer.release(sent);
                }
            }
        }
        udp.checkException();
        assertThat(udp.isOpen()).isTrue();
        assertThat(fuzz.server.table().allocationCount()).isLessThanOrEqualTo(8);
    }

    @AfterEach
    void close() {
        if (fuzz != null) {
            udp.finishAndReleaseAll();
            fuzz.close();
            fuzz = null;
        }
    }

    @AfterAll
    static void report() {
        System.out.println("fuzz executions TurnDatagramFuzzTest.datagrams: " + EXECUTIONS.get());
    }
}
