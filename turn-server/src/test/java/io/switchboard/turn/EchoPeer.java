package io.switchboard.turn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A UDP peer on loopback that echoes every datagram to its sender and remembers what it received. */
public final class EchoPeer implements AutoCloseable {
    /** One datagram the peer received. */
    public record Received(InetSocketAddress from, byte[] data) {
    }

    private final DatagramSocket socket;
    private final Thread thread;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    public EchoPeer(InetAddress address) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(address, 0));
        thread = new Thread(this::run, "echo-peer");
        thread.setDaemon(true);
        thread.start();
    }

    public EchoPeer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** The next datagram received, or null after the timeout. */
    public Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void run() {
        byte[] buffer = new byte[65536];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] data = java.util.Arrays.copyOfRange(packet.getData(), packet.getOffset(),
                        packet.getOffset() + packet.getLength());
                received.add(new Received((InetSocketAddress) packet.getSocketAddress(), data));
                socket.send(new DatagramPacket(data, data.length, packet.getSocketAddress()));
            } catch (SocketTimeoutException e) {
                // keep going
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
