package io.switchboard.client.stun;

import static org.awaitility.Awaitility.await;

import io.switchboard.stun.MessageType;
import io.switchboard.stun.StunMessage;
import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * coturn's turnserver, the reference STUN server, started on random high ports of 127.0.0.1 (and 127.0.0.2 for the
 * RFC 5780 alternate address) as a STUN-only server.
 */
final class Coturn implements AutoCloseable {
    private final Process process;
    private final int port;

    private Coturn(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** With RFC 5780: listening on 127.0.0.1 and 127.0.0.2, primary port P and alternate port P+1. */
    static Coturn withRfc5780() throws Exception {
        return start(true);
    }

    /** Without RFC 5780: one listening address, no OTHER-ADDRESS in responses. */
    static Coturn withoutRfc5780() throws Exception {
        return start(false);
    }

    private static Coturn start(boolean rfc5780) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePortPair(rfc5780);
            List<String> command = new ArrayList<>(List.of("turnserver", "-n", "--no-cli", "--stun-only",
                    "--listening-ip", "127.0.0.1", "--listening-port", Integer.toString(port),
                    "--alt-listening-port", Integer.toString(port + 1),
                    "--log-file", "stdout", "--simple-log", "--no-tls", "--no-dtls", "--no-software-attribute",
                    "--pidfile", new File(System.getProperty("java.io.tmpdir"), "coturn-" + port + ".pid").getPath()));
            if (rfc5780) {
                command.addAll(List.of("--listening-ip", "127.0.0.2"));
            } else {
                command.add("--no-rfc5780");
            }
            File log = new File("target", "coturn-" + port + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log).start();
            Coturn coturn = new Coturn(process, port);
            try {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !process.isAlive() || coturn.answersBinding());
                if (process.isAlive()) {
                    return coturn;
                }
                last = new IOException("turnserver exited with " + process.exitValue() + ", see " + log);
            } catch (RuntimeException e) {
                coturn.close();
                last = new IOException("turnserver did not answer on port " + port + ", see " + log, e);
            }
        }
        throw last;
    }

    /** A random high port P with P and P+1 free for UDP and TCP on the addresses turnserver will use. */
    private static int freePortPair(boolean both) throws IOException {
        for (int i = 0; i < 100; i++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if (free(port, both) && free(port + 1, both)) {
                return port;
            }
        }
        throw new IOException("no free port pair found");
    }

    private static boolean free(int port, boolean both) {
        for (String ip : both ? List.of("127.0.0.1", "127.0.0.2") : List.of("127.0.0.1")) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(ip, port));
                 ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getByName(ip))) {
                udp.getLocalPort();
                tcp.getLocalPort();
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private boolean answersBinding() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(100);
            byte[] request = StunMessage.builder(MessageType.BINDING_REQUEST).build().toBytes();
            socket.send(new DatagramPacket(request, request.length, primary()));
            DatagramPacket response = new DatagramPacket(new byte[1500], 1500);
            socket.receive(response);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    InetSocketAddress primary() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
