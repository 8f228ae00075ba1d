package io.switchboard.e2e.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 in front of the HTTP listener, standing in for the network between browser and
 * server: {@link #cutAll()} resets every connection through it (RST both ways), as a dropped link or a restarted
 * load balancer would, while new connections still get through. Started with {@link #startBlockingWebSockets} it
 * also refuses WebSocket handshakes, like a proxy that only understands plain HTTP.
 */
final class CuttableTcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final boolean blockWebSockets;
    private volatile boolean closed;

    private CuttableTcpProxy(ServerSocket listener, InetSocketAddress target, boolean blockWebSockets) {
        this.listener = listener;
        this.target = target;
        this.blockWebSockets = blockWebSockets;
        Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static CuttableTcpProxy start(InetSocketAddress target) throws IOException {
        return new CuttableTcpProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target, false);
    }

    /** A network that lets plain HTTP through but resets every WebSocket handshake, as some proxies do. */
    static CuttableTcpProxy startBlockingWebSockets(InetSocketAddress target) throws IOException {
        return new CuttableTcpProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target, true);
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Resets every open connection in both directions; returns how many sockets were cut. */
    int cutAll() {
        int cut = 0;
        for (Socket socket : open) {
            reset(socket);
            cut++;
        }
        return cut;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5000);
                } catch (IOException e) {
                    reset(client);
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, blockWebSockets);
                pump(upstream, client, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean refuseWebSockets) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (refuseWebSockets && isWebSocketHandshake(buffer, n)) {
                        reset(from);
                        reset(to);
                        return;
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // cut or closed
            } finally {
                open.remove(from);
                open.remove(to);
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean isWebSocketHandshake(byte[] buffer, int length) {
        String head = new String(buffer, 0, Math.min(length, 512), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        return head.startsWith("get ") && head.contains("\r\nupgrade: websocket");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void reset(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        cutAll();
    }
}
