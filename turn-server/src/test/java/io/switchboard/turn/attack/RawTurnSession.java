package io.switchboard.turn.attack;

import io.switchboard.stun.AttributeType;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.fuzz.RawStun;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * A TURN client over UDP or TCP that keeps every byte the server sent, for tests that inspect the wire: it signs its
 * requests itself (with {@link RawStun}) and hands out each datagram or stream frame as received, padding included.
 */
final class RawTurnSession implements AutoCloseable {
    private static final byte[] KEY = IntegrityKeys.longTermMd5(TestServers.USER, TestServers.REALM, TestServers.PASSWORD);

    private final DatagramSocket udp;
    private final Socket tcp;
    private final DataInputStream in;
    private final InetSocketAddress server;
    private final Deque<byte[]> other = new ArrayDeque<>();
    private String nonce = "none-yet";

    private RawTurnSession(DatagramSocket udp, Socket tcp, InetSocketAddress server) throws IOException {
        this.udp = udp;
        this.tcp = tcp;
        this.in = tcp == null ? null : new DataInputStream(tcp.getInputStream());
        this.server = server;
    }

    static RawTurnSession udp(InetSocketAddress server) throws IOException {
        return new RawTurnSession(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), null, server);
    }

    static RawTurnSession tcp(InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.connect(server);
        return new RawTurnSession(null, socket, server);
    }

    /**
     * Sends a request of {@code method} signed with the test user's credentials (fetching a nonce first when needed)
     * and returns the raw response; indications and ChannelData that arrive meanwhile are kept for {@link #next}.
     */
    byte[] request(StunMethod method, UnaryOperator<RawStun> attributes) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            byte[] id = new byte[12];
            ThreadLocalRandom.current().nextBytes(id);
            RawStun message = attributes.apply(new RawStun(method.request().code(), id))
                    .attribute(AttributeType.USERNAME, TestServers.USER).attribute(AttributeType.REALM, TestServers.REALM)
                    .attribute(AttributeType.NONCE, nonce).messageIntegrity(KEY).fingerprint();
            write(message.bytes());
            byte[] response = awaitResponse(id);
            StunMessage decoded = decode(response);
            int code = decoded.attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
            if ((code == 401 || code == 438) && decoded.attribute(Nonce.class).isPresent()) {
                nonce = decoded.attribute(Nonce.class).get().nonce();
                continue;
            }
            return response;
        }
        throw new AssertionError("not authenticated after three attempts");
    }

    /** Writes raw bytes: a datagram, or bytes on the stream. */
    void write(byte[] bytes) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(bytes, bytes.length, server));
        } else {
            tcp.getOutputStream().write(bytes);
        }
    }

    /** The next datagram or stream frame from the server (queued ones first), or null after {@code millis}. */
    byte[] next(long millis) throws IOException {
        if (!other.isEmpty()) {
            return other.poll();
        }
        return read(millis);
    }

    private byte[] awaitResponse(byte[] id) throws IOException {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            byte[] frame = read(Math.max(1, deadline - System.currentTimeMillis()));
            if (frame == null) {
                break;
            }
            if (frame.length >= 20 && (frame[0] & 0xC0) == 0 && Arrays.equals(Arrays.copyOfRange(frame, 8, 20), id)) {
                return frame;
            }
            other.add(frame);
        }
        throw new AssertionError("no response from " + server);
    }

    private byte[] read(long millis) throws IOException {
        try {
            if (udp != null) {
                udp.setSoTimeout((int) millis);
                byte[] buffer = new byte[65536];
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                return Arrays.copyOf(packet.getData(), packet.getLength());
            }
            tcp.setSoTimeout((int) millis);
            byte[] header = new byte[4];
            in.readFully(header);
            int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            int rest = (header[0] & 0xC0) == 0x40 ? (length + 3) & ~3 : 16 + length;
            byte[] frame = Arrays.copyOf(header, 4 + rest);
            in.readFully(frame, 4, rest);
            return frame;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    static StunMessage decode(byte[] bytes) {
        try {
            return StunMessage.decode(bytes);
        } catch (StunDecodeException e) {
            throw new AssertionError("undecodable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        } else {
            tcp.close();
        }
    }
}
