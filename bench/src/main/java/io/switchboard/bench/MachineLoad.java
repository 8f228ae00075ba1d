package io.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How busy the machine's cores are, from /proc/stat: used to wait for a quiet moment before a measurement, and to
 * report how much CPU other processes (neither the server under test nor this generator) took during one.
 */
public final class MachineLoad {
    private static final double TICKS_PER_SECOND = 100.0;

    /** Busy and total CPU seconds of all cores since boot. */
    public record Sample(double busySeconds, double totalSeconds, double selfSeconds) {
    }

    private MachineLoad() {
    }

    public static Sample sample() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal
            long busy = 0;
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i != 4 && i != 5) {
                    busy += v;
                }
            }
            return new Sample(busy / TICKS_PER_SECOND, total / TICKS_PER_SECOND,
                    new ProcessStats(ProcessHandle.current().pid()).cpuSeconds());
        } catch (IOException | RuntimeException e) {
            return new Sample(0, 0, 0);
        }
    }

    /**
     * The share (0-100 %) of all cores that other processes used between two samples: everything busy minus the
     * server's CPU and this process's own.
     */
    public static double othersPercent(Sample before, Sample after, double serverCpuSeconds) {
        double total = after.totalSeconds() - before.totalSeconds();
        if (total <= 0) {
            return 0;
        }
        double others = (after.busySeconds() - before.busySeconds()) - serverCpuSeconds
                - (after.selfSeconds() - before.selfSeconds());
        return Math.max(0, 100.0 * others / total);
    }

    /**
     * Waits (at most {@code maxSeconds}) until other processes use less than {@code percent} % of the cores for two
     * seconds in a row; says so on standard error while it waits. Returns the last reading.
     */
    public static double awaitQuiet(double percent, int maxSeconds) throws InterruptedException {
        double busy = 0;
        if (maxSeconds <= 0) {
            return busy;
        }
        int quietSeconds = 0;
        for (int waited = 0; waited < maxSeconds; waited++) {
            Sample before = sample();
            Thread.sleep(1000);
            busy = othersPercent(before, sample(), 0);
            quietSeconds = busy < percent ? quietSeconds + 1 : 0;
            if (quietSeconds >= 2) {
                return busy;
            }
            if (waited % 5 == 4) {
                System.err.printf("  waiting for a quieter machine: other processes use %.0f %% of the cores%n", busy);
            }
        }
        System.err.printf("  machine still busy after %d s (%.0f %% used by other processes); measuring anyway%n",
                maxSeconds, busy);
        return busy;
    }

    /** How long generators wait for a quiet machine unless told: $BENCH_QUIET_WAIT seconds, else 20. */
    public static int defaultWaitSeconds() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("BENCH_QUIET_WAIT", "20"));
        } catch (NumberFormatException e) {
            return 20;
        }
    }

    /** Subcommand {@code quiet}: the wait alone, for scripts that run other tools (turnutils_uclient). */
    public static int quiet(Args args) throws InterruptedException {
        double busy = awaitQuiet(args.decimal("percent", 15), args.integer("max-wait", defaultWaitSeconds()));
        System.out.printf(java.util.Locale.ROOT, "%.1f%n", busy);
        return 0;
    }
}
