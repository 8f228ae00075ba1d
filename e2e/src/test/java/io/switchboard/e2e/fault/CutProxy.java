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
        int cut = 0;
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
                cut++;
            } catch (IOException ignored) {
                // already gone
            }
        }
        open.clear();
        return cut;
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
