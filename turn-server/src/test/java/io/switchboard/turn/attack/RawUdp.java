package io.switchboard.turn.attack;

import io.switchboard.stun.StunDecodeException;
import io.switchboard.stun.StunMessage;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain UDP socket that sends crafted bytes to the server and collects whatever comes back: an attacker's view,
 * bound to any 127.x.y.z address so that one test can play many (forged) source addresses.
 */
final class RawUdp implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress server;

    RawUdp(InetAddress source, InetSocketAddress server) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(source, 0));
        this.server = server;
    }

    RawUdp(InetSocketAddress server) throws IOException {
        this(InetAddress.getLoopbackAddress(), server);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void send(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, server));
    }

    /** The next datagram within {@code millis}, or null. */
    byte[] receive(long millis) throws IOException {
        socket.setSoTimeout((int) Math.max(1, millis));
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    /** Every datagram that arrives until none has for {@code quietMillis}. */
    List<byte[]> drain(long quietMillis) throws IOException {
        List<byte[]> all = new ArrayList<>();
        for (byte[] next; (next = receive(quietMillis)) != null; ) {
            all.add(next);
        }
        return all;
    }

    /** Sends bytes and returns the answer, failing when none comes within two seconds. */
    byte[] exchangeBytes(byte[] request) throws IOException {
        send(request);
        byte[] answer = receive(2000);
        if (answer == null) {
            throw new AssertionError("no answer from " + server);
        }
        return answer;
    }

    /** Sends a request and decodes the answer, or returns null when none comes within {@code millis}. */
    StunMessage exchange(byte[] request, long millis) throws IOException {
        send(request);
        byte[] answer = receive(millis);
        if (answer == null) {
            return null;
        }
        try {
            return StunMessage.decode(answer);
        } catch (StunDecodeException e) {
            throw new AssertionError("undecodable answer", e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
