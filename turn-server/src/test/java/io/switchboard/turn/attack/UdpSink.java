package io.switchboard.turn.attack;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A UDP socket bound to the wildcard address (IPv4 and IPv6), so it receives whatever is sent to any local address
 * on its port: 127.x.y.z, 0.0.0.0, ::1. If a denied spelling of "this host" got through a relay, it would land here.
 */
final class UdpSink implements AutoCloseable {
    private final DatagramSocket socket;
    private final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    UdpSink() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::"), 0));
        Thread thread = new Thread(this::run, "udp-sink");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The next datagram received within {@code millis}, or null. */
    byte[] poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void run() {
        byte[] buffer = new byte[65536];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                received.add(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
