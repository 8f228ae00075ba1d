package io.switchboard.turn.attack;

import io.netty.buffer.Unpooled;
import io.switchboard.stun.AttributeType;
import io.switchboard.stun.Data;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.XorRelayedAddress;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnServer;
import io.switchboard.turn.fuzz.RawStun;
import io.switchboard.turn.fuzz.ServerReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No byte the server sends carries stale buffer content (the uninitialised-memory leaks found in other TURN servers):
 * the relay writes Data indication and ChannelData headers in place into pooled receive buffers, so a peer first fills
 * those buffers with 0xAA and then sends payloads of every length modulo 4. Every response, Data indication and
 * ChannelData frame the client receives must equal its re-encoding (padding zero, lengths exact) and carry exactly
 * the peer's bytes; over UDP and over TCP, where ChannelData is padded.
 */
class StaleBytesAttackTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 6, 7, 13, 1001, 1, 2, 3};
    private static TurnServer server;

    @BeforeAll
    static void start() {
        server = TestServers.start(b -> b.allowPeer("127.0.0.0/8"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void everyResponseDataIndicationAndChannelDataEqualsItsReencodingAfterBuffersHeldOtherBytes(String transport)
            throws Exception {
        boolean udp = transport.equals("udp");
        try (RawTurnSession client = udp ? RawTurnSession.udp(server.udpAddress()) : RawTurnSession.tcp(server.tcpAddress());
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            byte[] unauthenticated = new RawStun(StunMethod.ALLOCATE.request().code(), id()).bytes();
            client.write(unauthenticated);
            check(client.next(5000), udp);

            byte[] allocated = client.request(StunMethod.ALLOCATE,
                    m -> m.attribute(AttributeType.REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0}));
            StunMessage allocation = check(allocated, udp);
            InetSocketAddress relayed = allocation.attribute(XorRelayedAddress.class).orElseThrow().address();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();

            StunMessage refused = check(client.request(StunMethod.CREATE_PERMISSION,
                    m -> m.xorAddress(AttributeType.XOR_PEER_ADDRESS, new InetSocketAddress("10.0.0.1", 9))), udp);
            assertThat(refused.attribute(ErrorCode.class).orElseThrow().code()).isEqualTo(403);
            check(client.request(StunMethod.CREATE_PERMISSION,
                    m -> m.xorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress)), udp);

            // Data indications (no channel yet).
            for (int size : SIZES) {
                fill(peer, relayed);
                byte[] payload = payload(size);
                peer.send(new DatagramPacket(payload, payload.length, relayed));
                StunMessage indication = check(nextRelayed(client, size, udp), udp);
                assertThat(indication.method()).isEqualTo(StunMethod.DATA);
                assertThat(indication.attribute(Data.class).orElseThrow().data()).isEqualTo(payload);
            }

            check(client.request(StunMethod.CHANNEL_BIND, m -> m
                    .attribute(AttributeType.CHANNEL_NUMBER, new byte[] {0x40, 0x00, 0, 0})
                    .xorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress)), udp);
            for (int size : SIZES) {
                fill(peer, relayed);
                byte[] payload = payload(size);
                peer.send(new DatagramPacket(payload, payload.length, relayed));
                byte[] frame = nextRelayed(client, size, udp);
                check(frame, udp);
                assertThat(frame[0] & 0xFF).isEqualTo(0x40);
                int length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
                assertThat(length).isEqualTo(size);
                assertThat(Arrays.copyOfRange(frame, 4, 4 + length)).isEqualTo(payload);
                assertThat(frame.length).isEqualTo(udp ? 4 + size : 4 + ((size + 3) & ~3));
            }
        }
    }

    /** A large datagram of 0xAA first, so that the next receive buffer has held other bytes; its relay is skipped. */
    private static void fill(DatagramSocket peer, InetSocketAddress relayed) throws Exception {
        byte[] filler = new byte[3000];
        Arrays.fill(filler, (byte) 0xAA);
        peer.send(new DatagramPacket(filler, filler.length, relayed));
    }

    /** The relayed frame of {@code size} payload bytes, skipping the 3000-byte fillers. */
    private static byte[] nextRelayed(RawTurnSession client, int size, boolean udp) throws Exception {
        for (int i = 0; i < 4; i++) {
            byte[] frame = client.next(5000);
            assertThat(frame).as("a relayed frame of " + size + " bytes").isNotNull();
            if (frame.length < 3000) {
                return frame;
            }
            check(frame, udp);
        }
        throw new AssertionError("no frame of " + size + " bytes");
    }

    private static StunMessage check(byte[] frame, boolean udp) {
        assertThat(frame).as("a frame from the server").isNotNull();
        if (!udp) {
            assertThat(frame.length & 3).as("stream frames are padded to 4").isZero();
        }
        return ServerReplies.check(Unpooled.wrappedBuffer(frame), null, udp).orElse(null);
    }

    private static byte[] payload(int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i + 1);
        }
        return payload;
    }

    private static byte[] id() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }
}
