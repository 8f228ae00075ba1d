package io.switchboard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One measurement as ordered {@code key=value} lines, printed and appended to a results file for the report. */
public final class Results {
    private final Map<String, String> values = new LinkedHashMap<>();

    public Results put(String key, String value) {
        values.put(key, value.replace('\n', ' '));
        return this;
    }

    public Results put(String key, long value) {
        return put(key, Long.toString(value));
    }

    public Results put(String key, double value) {
        return put(key, String.format(Locale.ROOT, "%.3f", value));
    }

    public Map<String, String> values() {
        return values;
    }

    /** One line: {@code key=value key=value ...}. */
    public String line() {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace(' ', '_'))
                .collect(Collectors.joining(" "));
    }

    /** Prints the line and, when {@code file} is not empty, appends it to that file. */
    public void emit(String file) {
        System.out.println(line());
        if (!file.isEmpty()) {
            try {
                Path path = Path.of(file);
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                Files.writeString(path, line() + "\n", java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
