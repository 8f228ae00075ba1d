package io.switchboard.signaling.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * An attacker's WebSocket client (RFC 6455) over a plain socket: it writes any frame (binary, invalid UTF-8, huge,
 * fragmented), reads only when asked (so it can stop reading altogether), and reports how the server closed.
 */
final class RawWebSocket implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One frame from the server. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close status code of a close frame, or -1. */
        int closeCode() {
            return opcode == 8 && payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    }

    /** Connects to {@code /ws} and completes the upgrade; {@code receiveBuffer} 0 keeps the system default. */
    static RawWebSocket connect(InetSocketAddress server, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(server, 5000);
        socket.setSoTimeout(10_000);
        RawWebSocket ws = new RawWebSocket(socket);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET /ws HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        String status = ws.line();
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!ws.line().isEmpty()) {
            // headers
        }
        return ws;
    }

    static RawWebSocket connect(InetSocketAddress server) throws IOException {
        return connect(server, 0);
    }

    void sendText(String text) throws IOException {
        send(1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Writes one masked frame with any opcode and payload. */
    void send(int opcode, byte[] payload, boolean fin) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask, 0, 4);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        frame.write(masked, 0, masked.length);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next frame, answering pings; null when the connection ended or nothing came within {@code timeout}. */
    Frame next(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        while (true) {
            Frame frame;
            try {
                frame = read();
            } catch (SocketTimeoutException | EOFException e) {
                return null;
            } catch (IOException reset) {
                return null;
            }
            if (frame.opcode() == 9) {
                send(10, frame.payload(), true);
                continue;
            }
            return frame;
        }
    }

    /** The next text message of {@code type}, skipping others; fails when none comes. */
    JsonNode next(String type) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Frame frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame == null) {
                throw new AssertionError("connection ended or silent while waiting for '" + type + "'");
            }
            if (frame.opcode() == 1) {
                JsonNode message = JSON.readTree(frame.text());
                if (type.equals(message.path("type").asText())) {
                    return message;
                }
            } else if (frame.opcode() == 8) {
                throw new AssertionError("closed with " + frame.closeCode() + " while waiting for '" + type + "'");
            }
        }
        throw new AssertionError("no '" + type + "' within 10 s");
    }

    /** Reads until the server closes; returns the close code, or -1 when the connection ended without a close frame. */
    int awaitClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            while (true) {
                Frame frame = read();
                if (frame.opcode() == 8) {
                    return frame.closeCode();
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + timeout, e);
        } catch (IOException ended) {
            return -1;
        }
    }

    private Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("connection closed during the upgrade");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
