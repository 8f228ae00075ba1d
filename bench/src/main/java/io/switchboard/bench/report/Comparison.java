package io.switchboard.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Switchboard against its anchor, scenario by scenario and metric by metric, from results lines. */
public final class Comparison {
    public static final String SWITCHBOARD = "switchboard";
    /** The order of the report's sections. */
    static final List<String> ORDER = List.of("turn-relay", "turn-uclient", "turn-alloc", "stun-binding",
            "signaling-latency", "signaling-idle");

    /** One compared figure; {@code advantage} above 1 means Switchboard is ahead. */
    public record Row(String bench, String scenario, String anchor, Metric metric, double switchboard,
                      double anchorValue, double advantage, double othersSwitchboard, double othersAnchor) {
        public String verdict() {
            if (Double.isNaN(advantage)) {
                return "–";
            }
            if (advantage > 1.03) {
                return "**ahead**";
            }
            if (advantage >= 0.97) {
                return "even (±3 %)";
            }
            return "behind";
        }
    }

    private final List<Row> rows;

    private Comparison(List<Row> rows) {
        this.rows = rows;
    }

    public List<Row> rows() {
        return rows;
    }

    public static Comparison of(List<Measurement> measurements) {
        Map<String, List<Measurement>> byScenario = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            if (Metric.BY_BENCH.containsKey(m.bench())) {
                byScenario.computeIfAbsent(m.scenario(), k -> new ArrayList<>()).add(m);
            }
        }
        List<Row> rows = new ArrayList<>();
        List<List<Measurement>> groups = new ArrayList<>(byScenario.values());
        groups.sort(java.util.Comparator.comparingInt(g -> ORDER.indexOf(g.get(0).bench())));
        for (List<Measurement> group : groups) {
            List<Measurement> ours = group.stream().filter(m -> m.server().equals(SWITCHBOARD)).toList();
            List<Measurement> theirs = group.stream().filter(m -> !m.server().equals(SWITCHBOARD)).toList();
            Measurement first = group.get(0);
            String anchor = theirs.isEmpty() ? "–" : theirs.get(0).server();
            double othersOurs = median(ours, "others_cpu_pct");
            double othersTheirs = median(theirs, "others_cpu_pct");
            for (Metric metric : Metric.BY_BENCH.get(first.bench())) {
                double sb = median(ours, metric.key());
                double other = median(theirs, metric.key());
                if (Double.isNaN(sb) && Double.isNaN(other)) {
                    continue;
                }
                if (metric.key().equals("loss_pct")) { // below 0.01 % is no loss
                    sb = Math.round(sb * 100) / 100.0;
                    other = Math.round(other * 100) / 100.0;
                }
                rows.add(new Row(first.bench(), first.scenario(), anchor, metric, sb, other,
                        metric.advantage(sb, other), othersOurs, othersTheirs));
            }
        }
        return new Comparison(rows);
    }

    public static List<Measurement> read(Path directory) throws IOException {
        List<Measurement> all = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return all;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("bench=")) {
                        all.add(Measurement.parse(line));
                    }
                }
            }
        }
        return all;
    }

    private static double median(List<Measurement> measurements, String key) {
        double[] values = measurements.stream().mapToDouble(m -> m.number(key)).filter(v -> !Double.isNaN(v))
                .sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    /** A plain-text table for the terminal. */
    public String text() {
        StringBuilder out = new StringBuilder();
        String scenario = "";
        for (Row row : rows) {
            if (!row.scenario().equals(scenario)) {
                scenario = row.scenario();
                out.append(String.format("%n%s (switchboard vs %s)%s%n", scenario, row.anchor(), others(row)));
            }
            out.append(String.format("  %-40s %18s %18s   x%s  %s%n", row.metric().title(),
                    row.metric().format(row.switchboard()), row.metric().format(row.anchorValue()),
                    ratio(row.advantage()), row.verdict().replace("*", "")));
        }
        return out.toString();
    }

    /** Other processes' share of the cores during the two runs, when the generator measured it. */
    static String others(Row row) {
        if (Double.isNaN(row.othersAnchor()) && Double.isNaN(row.othersSwitchboard())) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, " [other processes used %.0f %% / %.0f %% of the cores]",
                row.othersSwitchboard(), row.othersAnchor());
    }

    static String ratio(double advantage) {
        if (Double.isNaN(advantage)) {
            return "–";
        }
        if (Double.isInfinite(advantage)) {
            return "∞";
        }
        return String.format(java.util.Locale.ROOT, "%.2f", advantage);
    }
}
