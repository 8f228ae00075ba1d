package io.switchboard.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hot spots of a JFR recording: the methods most often on top of the stack in execution samples (own time), the
 * methods most often anywhere on the stack (total time), and the allocation sites by sampled weight.
 */
public final class JfrSummary {
    private JfrSummary() {
    }

    public static int run(Args args) throws IOException {
        Path file = Path.of(args.required("file"));
        int top = args.integer("top", 25);
        String only = args.string("only", "");
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> allocations = new HashMap<>();
        Map<String, Long> selfBySite = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        long pauses = 0;
        long pauseNanos = 0;
        long longestPause = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.GarbageCollection")) {
                long pause = event.getDuration("sumOfPauses").toNanos();
                pauses++;
                pauseNanos += pause;
                longestPause = Math.max(longestPause, event.getDuration("longestPause").toNanos());
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            if (!only.isEmpty() && !threadName(event).contains(only)) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                self.merge(name(frames.get(0)), 1L, Long::sum);
                String site = frames.stream().map(JfrSummary::name).filter(m -> m.startsWith("io.switchboard"))
                        .findFirst().orElse("(outside io.switchboard)");
                selfBySite.merge(name(frames.get(0)) + " <- " + site, 1L, Long::sum);
                frames.stream().map(JfrSummary::name).distinct().forEach(m -> total.merge(m, 1L, Long::sum));
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long weight = event.getLong("weight");
                allocated += weight;
                String site = frames.stream().map(JfrSummary::name)
                        .filter(m -> m.startsWith("io.switchboard") || m.startsWith("io.netty")).findFirst()
                        .orElse(name(frames.get(0)));
                allocations.merge(event.getClass("objectClass").getName() + " at " + site, weight, Long::sum);
            }
        }
        print("own time (share of " + samples + " execution samples)", self, samples, top);
        print("own time by the nearest io.switchboard caller", selfBySite, samples, top);
        print("total time (on the stack)", total, samples, top);
        print("allocation (share of " + allocated / (1 << 20) + " MiB sampled)", allocations, allocated, top);
        System.out.printf("== garbage collection: %d collections, %.1f ms paused in all, longest pause %.2f ms%n",
                pauses, pauseNanos / 1e6, longestPause / 1e6);
        return 0;
    }

    private static String threadName(RecordedEvent event) {
        String field = event.hasField("sampledThread") ? "sampledThread" : "eventThread";
        var thread = event.getThread(field);
        return thread == null || thread.getJavaName() == null ? "" : thread.getJavaName();
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> counts, long all, int top) {
        System.out.println("== " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("%6.1f %%  %s%n", all == 0 ? 0 : 100.0 * e.getValue() / all,
                        e.getKey()));
        System.out.println();
    }
}
