package io.switchboard.e2e.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy standing in for the network between clients and the server: it forwards every byte until told to cut,
 * then resets every connection through it at once (both sides see an abrupt end, no WebSocket close) while still
 * accepting new ones, as after a network interruption.
 */
final class CutProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    CutProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "cut-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** The proxy's port on 127.0.0.1. */
    int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection now; returns how many sockets were cut. */
    int cutAll() {
        // Arm every socket for a reset before closing any: closing one wakes its pump, which closes its partner, and
        // a partner closed that way first would otherwise end with a FIN and go uncounted.
        List<Socket> armed = new java.util.ArrayList<>();
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0);
                armed.add(socket);
            } catch (IOException ignored) {
                // already gone
            }
        }
        for (Socket socket : armed) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed meanwhile by its pump, after it was armed: still a reset
            }
        }
        open.clear();
        return armed.size();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException ended) {
                // cut or closed
            } finally {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // gone
                }
            }
        }, "cut-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
    }
}
