package io.switchboard.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's) on 127.0.0.1 and a free port, without persistence, for one test class:
 * {@code --port P --save '' --appendonly no}. It can be stopped and started again on the same port.
 */
final class RedisServer implements AutoCloseable {
    private final int port;
    private Process process;

    private RedisServer(int port) {
        this.port = port;
    }

    static RedisServer start() {
        RedisServer server = new RedisServer(freePort());
        server.launch();
        return server;
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    /** Stops the server (its data is gone: no persistence). */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process = null;
    }

    /** Starts the server again on the same port, empty. */
    void restart() {
        stop();
        launch();
    }

    /** Sends one command and returns the raw reply (for FLUSHALL, DBSIZE and the like). */
    String command(String... words) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*" + words.length + "\r\n");
            for (String word : words) {
                request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                reply.append((char) c);
                if (reply.length() >= 2 && reply.charAt(reply.length() - 2) == '\r' && reply.charAt(reply.length() - 1) == '\n') {
                    break;
                }
            }
            return reply.toString().trim();
        } catch (IOException e) {
            throw new AssertionError("redis-server on port " + port + " does not answer", e);
        }
    }

    private void launch() {
        List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--loglevel", "warning");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                if (command("PING").equals("+PONG")) {
                    return;
                }
            } catch (IOException | AssertionError e) {
                // not up yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("redis-server did not start on port " + port);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
