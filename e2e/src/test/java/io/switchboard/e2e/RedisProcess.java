package io.switchboard.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code redis-server} on 127.0.0.1 and a free port, without persistence, stopped after the test. */
public final class RedisProcess implements AutoCloseable {
    private final int port;
    private Process process;

    private RedisProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    public static RedisProcess start() {
        return start(freePort());
    }

    /** Stops this Redis (an outage, as the nodes see it); {@link #restart()} brings it back on the same port. */
    public synchronized void stop() {
        close();
    }

    /** Starts Redis again on the same port, empty, after {@link #stop()}. */
    public synchronized void restart() {
        process = start(port).process;
    }

    private static RedisProcess start(int port) {
        List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--loglevel", "warning");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
        RedisProcess redis = new RedisProcess(port, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (redis.answers()) {
                return redis;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        redis.close();
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    /** The URL to give {@code switchboard serve --redis}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int n = in.read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
