package io.switchboard.e2e.fault;

import io.switchboard.e2e.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks into the running server process from outside, as an operator would: its open file descriptors (sockets
 * included) from {@code /proc}, and the live instances of its classes from {@code jcmd GC.class_histogram}, which runs a
 * full collection first, so that what is counted is what is still reachable.
 */
final class ProcessProbe {
    private ProcessProbe() {
    }

    /** Open file descriptors of the process (Linux {@code /proc/PID/fd}). */
    static int openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/" + pid + "/fd", e);
        }
    }

    /** Live instances per class name, after a full GC. */
    static Map<String, Long> liveInstances(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        ExternalCommand result = ExternalCommand.run(Duration.ofSeconds(60),
                List.of(jcmd, Long.toString(pid), "GC.class_histogram"));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("jcmd GC.class_histogram failed: " + result.output());
        }
        Map<String, Long> counts = new HashMap<>();
        for (String line : result.output().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            // "   1:        12345      678900  java.lang.String (java.base@17)"
            if (parts.length >= 4 && parts[0].endsWith(":")) {
                counts.merge(parts[3], Long.parseLong(parts[1]), Long::sum);
            }
        }
        return counts;
    }

    /** RcvbufErrors of the Udp line of /proc/net/snmp: datagrams the kernel dropped because a socket's buffer was full. */
    static long udpReceiveBufferErrors() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    List<String> names = List.of(lines.get(i).split("\\s+"));
                    String[] values = lines.get(i + 1).split("\\s+");
                    return Long.parseLong(values[names.indexOf("RcvbufErrors")]);
                }
            }
            return -1;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
