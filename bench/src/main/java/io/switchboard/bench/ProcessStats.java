package io.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a server process, read from /proc (Linux). */
public final class ProcessStats {
    /** Clock ticks per second of /proc/PID/stat times; 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;

    public ProcessStats(long pid) {
        this.pid = pid;
    }

    /** A stand-in for "no server process given": every reading is zero. */
    public static ProcessStats none() {
        return new ProcessStats(0);
    }

    public boolean present() {
        return pid > 0;
    }

    /** User plus system CPU seconds the process (all its threads) has used so far. */
    public double cpuSeconds() {
        if (!present()) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long user = Long.parseLong(fields[11]);
            long system = Long.parseLong(fields[12]);
            return (user + system) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Resident set size in bytes. */
    public long residentBytes() {
        return statusField("VmRSS:");
    }

    /** Number of open file descriptors (sockets included). */
    public int openFiles() {
        if (!present()) {
            return 0;
        }
        try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) entries.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private long statusField(String name) {
        if (!present()) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
