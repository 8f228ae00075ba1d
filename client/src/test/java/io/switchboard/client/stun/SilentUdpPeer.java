package io.switchboard.client.stun;

import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.TransactionId;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A bound UDP socket on 127.0.0.1 that records the STUN requests it gets and answers none. */
final class SilentUdpPeer implements AutoCloseable {
    private final DatagramSocket socket;
    private final List<TransactionId> received = new CopyOnWriteArrayList<>();
    private final Thread reader;

    SilentUdpPeer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        reader = new Thread(this::read, "silent-udp-peer");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                received.add(StunMessage.decode(buffer, 0, packet.getLength()).transactionId());
            } catch (IOException | StunDecodeException e) {
                // closed, or not STUN: nothing to record
            }
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Transaction ids of the requests received so far, in order. */
    List<TransactionId> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
