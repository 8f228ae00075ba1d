package io.switchboard.turn.interop;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** coturn's client tools (turnutils_*) run as processes against servers on loopback. */
final class CoturnTools {
    private CoturnTools() {
    }

    /** What turnutils_uclient reported at the end of a run. */
    record UclientReport(long sentMessages, long receivedMessages, long lostPackets, String output) {
    }

    /** turnutils_peer: a UDP echo peer on 127.0.0.1. */
    static final class EchoPeer implements AutoCloseable {
        private final Process process;
        private final int port;

        private EchoPeer(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static EchoPeer start() throws Exception {
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = freeUdpPort();
                Process process = new ProcessBuilder("turnutils_peer", "-L", "127.0.0.1", "-p", Integer.toString(port))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (echoes(port)) {
                    return new EchoPeer(process, port);
                }
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            throw new IOException("turnutils_peer did not start");
        }

        int port() {
            return port;
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static boolean echoes(int port) throws IOException {
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                socket.setSoTimeout(200);
                byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 25; i++) {
                    socket.send(new DatagramPacket(probe, probe.length, InetAddress.getLoopbackAddress(), port));
                    try {
                        byte[] buffer = new byte[64];
                        socket.receive(new DatagramPacket(buffer, buffer.length));
                        return true;
                    } catch (SocketTimeoutException e) {
                        // not up yet
                    }
                }
                return false;
            }
        }
    }

    /**
     * uclient picks two random channels in 0x4000-0x4FFF per session, one for peer port+1 and one for the peer; when
     * both draws are equal (1 in 4096) any RFC 8656 §11.2 server must answer 400, so that run says nothing about us.
     */
    private static final Pattern UCLIENT_CHANNEL_COLLISION =
            Pattern.compile("channel bind: error 400 \\(channel 0x[0-9a-f]{4} is bound to another peer\\)");

    /** Runs turnutils_uclient with these arguments (the server address last) and parses its summary. */
    static UclientReport uclient(List<String> arguments, File log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("turnutils_uclient");
        command.addAll(arguments);
        String output = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException("turnutils_uclient did not finish in 90 s: " + command);
            }
            output = Files.readString(log.toPath());
            if (!UCLIENT_CHANNEL_COLLISION.matcher(output).find()) {
                break;
            }
        }
        return new UclientReport(lastLong(output, "tot_send_msgs=(\\d+)"), lastLong(output, "tot_recv_msgs=(\\d+)"),
                lastLong(output, "Total lost packets (\\d+)"), output);
    }

    /** Runs a coturn tool to completion and returns its output. */
    static String run(File log, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IOException(command[0] + " did not finish in 60 s");
        }
        return Files.readString(log.toPath());
    }

    private static long lastLong(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        long value = -1;
        while (m.find()) {
            value = Long.parseLong(m.group(1));
        }
        return value;
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static File logFile(String name) {
        File dir = new File("target", "interop");
        dir.mkdirs();
        return new File(dir, name + ".log");
    }
}
