package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately small WebSocket client (RFC 6455) over a plain socket, so tests control every byte: fragmented,
 * binary and oversized frames, silence towards pings, and an abrupt TCP reset.
 */
final class TestSocket implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String END_OF_STREAM = "\u0000end";

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean answerPings = true;
    private volatile int closeCode = -1;
    private volatile int pingsReceived;
    private final Thread reader;

    private TestSocket(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reader = new Thread(() -> readLoop(new DataInputStream(new java.io.BufferedInputStream(in))), "test-ws-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static TestSocket connect(InetSocketAddress server) {
        return connect(server, Map.of());
    }

    static TestSocket connect(InetSocketAddress server, Map<String, String> headers) {
        try {
            return over(new Socket(server.getAddress(), server.getPort()), server, headers);
        } catch (IOException e) {
            throw new AssertionError("cannot connect to " + server, e);
        }
    }

    /** Upgrades an already connected socket (for example a TLS one). */
    static TestSocket over(Socket socket, InetSocketAddress server, Map<String, String> headers) {
        try {
            socket.setTcpNoDelay(true);
            int status = handshake(socket, server, headers);
            assertThat(status).as("WebSocket handshake status").isEqualTo(101);
            return new TestSocket(socket, socket.getInputStream());
        } catch (IOException e) {
            throw new AssertionError("cannot connect to " + server, e);
        }
    }

    /** Attempts a handshake and returns the HTTP status, closing the socket. */
    static int handshakeStatus(InetSocketAddress server, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            return handshake(socket, server, headers);
        }
    }

    private static int handshake(Socket socket, InetSocketAddress server, Map<String, String> headers) throws IOException {
        byte[] keyBytes = new byte[16];
        RANDOM.nextBytes(keyBytes);
        StringBuilder request = new StringBuilder()
                .append("GET /ws HTTP/1.1\r\n")
                .append("Host: ").append(server.getHostString()).append(':').append(server.getPort()).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(keyBytes)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during handshake: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String statusLine = head.toString(StandardCharsets.US_ASCII).split("\r\n", 2)[0];
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    private void readLoop(DataInputStream in) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0F;
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                switch (opcode) {
                    case 0x0:
                    case 0x1:
                        message.write(payload);
                        if (fin) {
                            texts.add(message.toString(StandardCharsets.UTF_8));
                            message.reset();
                        }
                        break;
                    case 0x8:
                        closeCode = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                        closed.countDown();
                        break;
                    case 0x9:
                        pingsReceived++;
                        if (answerPings) {
                            sendFrame(0xA, true, payload);
                        }
                        break;
                    default:
                        break;
                }
            }
        } catch (IOException e) {
            // end of stream
        } finally {
            closed.countDown();
            texts.add(END_OF_STREAM);
        }
    }

    void sendText(String text) {
        sendFrame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendJson(String json) {
        sendText(json);
    }

    void sendBinary(byte[] data) {
        sendFrame(0x2, true, data);
    }

    void sendClose(int code) {
        sendFrame(0x8, true, new byte[] {(byte) (code >> 8), (byte) code});
    }

    /** Writes one masked frame. */
    synchronized void sendFrame(int opcode, boolean fin, byte[] payload) {
        try {
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
            frame.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else if (payload.length < 65536) {
                frame.write(0x80 | 126);
                frame.write(payload.length >> 8);
                frame.write(payload.length);
            } else {
                frame.write(0x80 | 127);
                for (int i = 7; i >= 0; i--) {
                    frame.write((int) ((long) payload.length >> (8 * i)));
                }
            }
            byte[] mask = new byte[4];
            RANDOM.nextBytes(mask);
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i & 3]);
            }
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot send a frame", e);
        }
    }

    /** The next text message, parsed; fails if none arrives in time or the connection ended. */
    JsonNode next() {
        String text = nextText();
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("server sent invalid JSON: " + text, e);
        }
    }

    /** The next text message, which must have {@code type}. */
    JsonNode next(String type) {
        JsonNode message = next();
        assertThat(message.path("type").asText()).as("type of %s", message).isEqualTo(type);
        return message;
    }

    String nextText() {
        try {
            String text = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                fail("no message within " + WAIT);
            }
            if (text.equals(END_OF_STREAM)) {
                texts.add(END_OF_STREAM);
                fail("connection ended (close code " + closeCode + ") while waiting for a message");
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Messages that arrived and were not read yet (waits for nothing). */
    List<String> pending() {
        List<String> all = new ArrayList<>();
        texts.drainTo(all);
        all.remove(END_OF_STREAM);
        return all;
    }

    /** Sends a ping with {@code id} and waits for its pong: everything sent before was processed. */
    void sync(String id) {
        sendText("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        JsonNode pong = next("pong");
        assertThat(pong.path("id").asText()).isEqualTo(id);
    }

    /** Waits for the server to close and returns the close code (-1 if the TCP connection ended without one). */
    int awaitClose() {
        try {
            assertThat(closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("connection closed").isTrue();
            return closeCode;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    void answerPings(boolean answer) {
        this.answerPings = answer;
    }

    int pingsReceived() {
        return pingsReceived;
    }

    /** Resets the TCP connection without a WebSocket close: what a dying network or process looks like. */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
