package io.switchboard.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A figure the report compares, how to print it, and whether more of it is better. */
public record Metric(String key, String title, String unit, boolean higherIsBetter) {

    /** The metrics shown for each bench, in order. */
    static final Map<String, List<Metric>> BY_BENCH = Map.of(
            "turn-relay", List.of(
                    new Metric("relayed_pps", "packets relayed", "/s", true),
                    new Metric("loss_pct", "round-trip loss", "%", false),
                    new Metric("rtt_p50_us", "RTT p50", "µs", false),
                    new Metric("rtt_p99_us", "RTT p99", "µs", false),
                    new Metric("server_cpu_s", "server CPU", "s", false),
                    new Metric("relayed_per_cpu_s", "packets per CPU second", "", true)),
            "turn-uclient", List.of(
                    new Metric("relayed_pps", "packets relayed", "/s", true),
                    new Metric("loss_pct", "loss", "%", false),
                    new Metric("rtt_avg_ms", "RTT average (uclient, ms resolution)", "ms", false),
                    new Metric("server_cpu_s", "server CPU", "s", false)),
            "turn-alloc", List.of(
                    new Metric("alloc_per_s", "allocations", "/s", true),
                    new Metric("handshake_p50_ms", "Allocate handshake p50", "ms", false),
                    new Metric("handshake_p99_ms", "Allocate handshake p99", "ms", false),
                    new Metric("server_cpu_s", "server CPU", "s", false),
                    new Metric("rss_per_alloc_bytes", "resident memory per allocation", "B", false)),
            "stun-binding", List.of(
                    new Metric("binding_per_s", "Binding requests answered", "/s", true),
                    new Metric("rtt_p50_us", "RTT p50", "µs", false),
                    new Metric("rtt_p99_us", "RTT p99", "µs", false),
                    new Metric("binding_per_cpu_s", "answers per CPU second", "", true)),
            "signaling-latency", List.of(
                    new Metric("delivered_per_s", "messages relayed", "/s", true),
                    new Metric("lost", "messages lost", "", false),
                    new Metric("latency_p50_ms", "relay latency p50", "ms", false),
                    new Metric("latency_p99_ms", "relay latency p99", "ms", false),
                    new Metric("server_cpu_s", "server CPU", "s", false)),
            "signaling-idle", List.of(
                    new Metric("connections", "idle connections held", "", true),
                    new Metric("conn_per_gib_heap", "connections per GiB of heap", "", true),
                    new Metric("heap_per_conn_bytes", "heap per connection", "B", false),
                    new Metric("conn_per_gib_rss", "connections per GiB of resident memory", "", true),
                    new Metric("rss_per_conn_bytes", "resident memory per connection", "B", false)));

    String format(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        String number;
        double magnitude = Math.abs(value);
        if (magnitude >= 1000) {
            number = String.format(Locale.ROOT, "%,.0f", value);
        } else if (magnitude >= 100) {
            number = String.format(Locale.ROOT, "%.0f", value);
        } else if (magnitude >= 10) {
            number = String.format(Locale.ROOT, "%.1f", value);
        } else {
            number = String.format(Locale.ROOT, "%.2f", value);
        }
        return unit.isEmpty() || unit.equals("/s") ? number + unit : number + " " + unit;
    }

    /**
     * Switchboard's advantage: its figure over the anchor's when more is better, the anchor's over its own when less
     * is better; above 1 means Switchboard is ahead. NaN when either is missing; infinite when the anchor's is zero
     * and Switchboard's is not (or the reverse for lower-is-better).
     */
    double advantage(double switchboard, double anchor) {
        if (Double.isNaN(switchboard) || Double.isNaN(anchor)) {
            return Double.NaN;
        }
        double better = higherIsBetter ? switchboard : anchor;
        double worse = higherIsBetter ? anchor : switchboard;
        if (worse == 0) {
            return better == 0 ? 1 : Double.POSITIVE_INFINITY;
        }
        return better / worse;
    }
}
