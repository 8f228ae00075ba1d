package io.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The live heap of another JVM: a full GC through {@code jcmd PID GC.run}, then the used figures of GC.heap_info. */
public final class JvmHeap {
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private JvmHeap() {
    }

    /** Bytes of heap in use after a full collection, or 0 when jcmd cannot tell. */
    public static long liveBytes(long pid) {
        if (pid <= 0) {
            return 0;
        }
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        // One "total ..K, used ..K" line per generation (Serial, Parallel) or one for the whole heap (G1).
        Matcher matcher = USED.matcher(info);
        long used = 0;
        while (matcher.find()) {
            used += Long.parseLong(matcher.group(1)) * 1024;
        }
        return used;
    }

    private static String jcmd(long pid, String command) {
        try {
            Process process = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
