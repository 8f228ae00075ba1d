package io.switchboard.turn.interop;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A one-client UDP forwarder on loopback, like a NAT: datagrams to {@link #frontAddress()} leave towards the target
 * from {@link #backAddress()}, and answers come back the same way. A STUN server behind it must report the back
 * address as the client's mapped address.
 */
final class UdpForwarder implements AutoCloseable {
    private final DatagramSocket front;
    private final DatagramSocket back;
    private final Thread outbound;
    private final Thread inbound;
    private volatile SocketAddress client;

    UdpForwarder(InetSocketAddress target) throws SocketException {
        front = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        back = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        outbound = new Thread(() -> pump(front, back, target, true), "forwarder-out");
        inbound = new Thread(() -> pump(back, front, null, false), "forwarder-in");
        outbound.setDaemon(true);
        inbound.setDaemon(true);
        outbound.start();
        inbound.start();
    }

    InetSocketAddress frontAddress() {
        return (InetSocketAddress) front.getLocalSocketAddress();
    }

    InetSocketAddress backAddress() {
        return (InetSocketAddress) back.getLocalSocketAddress();
    }

    private void pump(DatagramSocket from, DatagramSocket to, InetSocketAddress target, boolean remember) {
        byte[] buffer = new byte[65536];
        while (!from.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                from.receive(packet);
                if (remember) {
                    client = packet.getSocketAddress();
                }
                SocketAddress destination = remember ? target : client;
                if (destination != null) {
                    to.send(new DatagramPacket(packet.getData(), packet.getOffset(), packet.getLength(), destination));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        front.close();
        back.close();
        try {
            outbound.join(2000);
            inbound.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
