package io.switchboard.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/** coturn's {@code turnutils_peer}, a UDP echo peer, on a free loopback port. */
final class EchoPeer implements AutoCloseable {
    private final Process process;
    private final int port;

    private EchoPeer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static EchoPeer start() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Process process = new ProcessBuilder("turnutils_peer", "-L", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (answers(port)) {
                return new EchoPeer(process, port);
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        throw new IOException("turnutils_peer did not start");
    }

    private static boolean answers(int port) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(200);
            for (int i = 0; i < 25; i++) {
                socket.send(new DatagramPacket(new byte[] {1}, 1, InetAddress.getLoopbackAddress(), port));
                try {
                    socket.receive(new DatagramPacket(new byte[16], 16));
                    return true;
                } catch (SocketTimeoutException e) {
                    // not listening yet
                }
            }
            return false;
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
