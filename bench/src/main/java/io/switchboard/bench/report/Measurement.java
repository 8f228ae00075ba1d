package io.switchboard.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** One results line ({@code key=value key=value ...}) written by a load generator or a bench script. */
public record Measurement(Map<String, String> values) {
    public static Measurement parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                values.put(part.substring(0, equals), part.substring(equals + 1));
            }
        }
        return new Measurement(values);
    }

    public String get(String key) {
        return values.getOrDefault(key, "");
    }

    public double number(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public String bench() {
        return get("bench");
    }

    public String server() {
        return get("server");
    }

    /** What makes two lines the same load: the bench and its label. */
    public String scenario() {
        String label = get("label");
        if (label.isEmpty() && bench().equals("turn-alloc")) {
            label = get("requested") + "-allocations," + get("concurrency") + "-in-flight";
        } else if (label.isEmpty() && bench().equals("stun-binding")) {
            label = get("sockets") + "-sockets-x-" + get("window") + "-in-flight";
        }
        return label.isEmpty() ? bench() : bench() + " " + label;
    }
}
