package io.switchboard.e2e.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The smallest load balancer: a TCP relay on 127.0.0.1 that sends each new connection to the first node in its list
 * that accepts it, as a balancer with health checks does once a node is dead.
 */
final class FailoverProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final List<InetSocketAddress> nodes;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    FailoverProxy(List<InetSocketAddress> nodes) {
        this.nodes = List.copyOf(nodes);
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::accept, "failover-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The WebSocket URL of the signaling endpoint behind this proxy. */
    String webSocketUrl() {
        return "ws://127.0.0.1:" + listener.getLocalPort() + "/ws";
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Socket server = connectToFirstLiveNode();
            if (server == null) {
                close(client);
                continue;
            }
            open.add(client);
            open.add(server);
            pipe(client, server);
            pipe(server, client);
        }
    }

    private Socket connectToFirstLiveNode() {
        for (InetSocketAddress node : nodes) {
            Socket socket = new Socket();
            try {
                socket.connect(node, 1000);
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException e) {
                close(socket);
            }
        }
        return null;
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close(from);
                close(to);
            }
        }, "failover-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        open.forEach(this::close);
    }
}
