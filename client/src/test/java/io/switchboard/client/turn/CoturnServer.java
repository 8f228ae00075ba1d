package io.switchboard.client.turn;

import io.switchboard.stun.MessageType;
import io.switchboard.stun.StunMessage;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * coturn's turnserver, the reference TURN server, on a random port of 127.0.0.1 with long-term credentials
 * alice:secret in realm example.org and loopback peers allowed.
 */
final class CoturnServer implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "secret";

    private final Process process;
    private final int port;

    private CoturnServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static CoturnServer start() throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
            int relayLow = 41000 + ThreadLocalRandom.current().nextInt(40) * 500;
            File dir = new File("target");
            dir.mkdirs();
            Process process = new ProcessBuilder(List.of("turnserver", "-n", "--no-cli", "--no-tls", "--no-dtls",
                    "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", Integer.toString(port),
                    "--min-port", Integer.toString(relayLow), "--max-port", Integer.toString(relayLow + 499),
                    "--lt-cred-mech", "--user", USER + ":" + PASSWORD, "--realm", "example.org",
                    "--allow-loopback-peers", "--no-rfc5780", "--log-file", "stdout", "--simple-log",
                    "--pidfile", new File(dir, "coturn-turn-" + port + ".pid").getAbsolutePath()))
                    .redirectErrorStream(true).redirectOutput(new File(dir, "coturn-turn-" + port + ".log")).start();
            if (answers(port)) {
                return new CoturnServer(process, port);
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        throw new IOException("coturn did not start");
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static boolean answers(int port) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(100);
            byte[] request = StunMessage.builder(MessageType.BINDING_REQUEST).build().toBytes();
            for (int i = 0; i < 50; i++) {
                socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
                try {
                    socket.receive(new DatagramPacket(new byte[512], 512));
                    return true;
                } catch (SocketTimeoutException e) {
                    // not yet listening
                }
            }
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
