package io.switchboard.e2e.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;

/**
 * A UDP echo peer on two consecutive loopback ports, like coturn's turnutils_peer: uclient sends RTP to the first and
 * RTCP to the second.
 */
final class UdpEcho implements AutoCloseable {
    private final List<DatagramSocket> sockets;

    UdpEcho() {
        sockets = bindPair();
        for (DatagramSocket socket : sockets) {
            Thread thread = new Thread(() -> echo(socket), "udp-echo-" + socket.getLocalPort());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static List<DatagramSocket> bindPair() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            DatagramSocket first = null;
            try {
                first = new DatagramSocket(new InetSocketAddress(loopback, 0));
                DatagramSocket second = new DatagramSocket(new InetSocketAddress(loopback, first.getLocalPort() + 1));
                return List.of(first, second);
            } catch (SocketException e) {
                if (first != null) {
                    first.close();
                }
            }
        }
        throw new IllegalStateException("no two consecutive free UDP ports on loopback");
    }

    InetSocketAddress address() {
        return (InetSocketAddress) sockets.get(0).getLocalSocketAddress();
    }

    int port() {
        return sockets.get(0).getLocalPort();
    }

    private static void echo(DatagramSocket socket) {
        byte[] buffer = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                socket.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        sockets.forEach(DatagramSocket::close);
    }
}
