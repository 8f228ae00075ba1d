package io.switchboard.app;

import io.switchboard.app.config.ConfigOption;
import io.switchboard.app.config.ConfigSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options whose values differ between the configuration in force and a new one, split into those a reload applies
 * and those that need a restart, each described for the log without any password or secret.
 *
 * @param applied     descriptions of the changes a reload applies, e.g. {@code --user: +bob}
 * @param needRestart the flags of changed options that only a restart applies
 */
record ConfigChanges(List<String> applied, List<String> needRestart) {

    ConfigChanges {
        applied = List.copyOf(applied);
        needRestart = List.copyOf(needRestart);
    }

    /** The raw values of every option of {@code settings}, the baseline of the next comparison. */
    static Map<ConfigOption, List<String>> snapshot(ConfigSettings settings) {
        Map<ConfigOption, List<String>> values = new EnumMap<>(ConfigOption.class);
        for (ConfigOption option : ConfigOption.values()) {
            values.put(option, settings.values(option));
        }
        return values;
    }

    /** What changes from {@code inForce} to {@code next}; the {@code --config} path itself is not compared. */
    static ConfigChanges between(Map<ConfigOption, List<String>> inForce, Map<ConfigOption, List<String>> next) {
        List<String> applied = new ArrayList<>();
        List<String> needRestart = new ArrayList<>();
        for (ConfigOption option : ConfigOption.values()) {
            List<String> before = inForce.getOrDefault(option, List.of());
            List<String> after = next.getOrDefault(option, List.of());
            if (option == ConfigOption.CONFIG || before.equals(after)) {
                continue;
            }
            if (option.reloadable()) {
                applied.add(describe(option, before, after));
            } else {
                needRestart.add(option.flag());
            }
        }
        return new ConfigChanges(applied, needRestart);
    }

    /** The values in force after applying these changes: new values of reloadable options, old ones of the rest. */
    static Map<ConfigOption, List<String>> inForceAfter(Map<ConfigOption, List<String>> inForce,
                                                        Map<ConfigOption, List<String>> next) {
        Map<ConfigOption, List<String>> result = new EnumMap<>(inForce);
        for (ConfigOption option : ConfigOption.values()) {
            if (option.reloadable()) {
                result.put(option, next.getOrDefault(option, List.of()));
            }
        }
        return result;
    }

    boolean isEmpty() {
        return applied.isEmpty() && needRestart.isEmpty();
    }

    private static String describe(ConfigOption option, List<String> before, List<String> after) {
        if (option == ConfigOption.USER) {
            return option.flag() + ": " + users(before, after);
        }
        if (option.secret()) {
            return option.flag() + ": " + after.size() + " value(s), changed (values not shown)";
        }
        return option.flag() + ": " + show(before) + " -> " + show(after);
    }

    /** Users added, removed and with a new password, by name only. */
    private static String users(List<String> before, List<String> after) {
        Map<String, String> old = byName(before);
        Map<String, String> now = byName(after);
        List<String> parts = new ArrayList<>();
        now.keySet().stream().filter(name -> !old.containsKey(name)).forEach(name -> parts.add("+" + name));
        old.keySet().stream().filter(name -> !now.containsKey(name)).forEach(name -> parts.add("-" + name));
        now.forEach((name, password) -> {
            if (old.containsKey(name) && !old.get(name).equals(password)) {
                parts.add(name + " (new password)");
            }
        });
        return parts.isEmpty() ? "reordered" : String.join(", ", parts);
    }

    private static Map<String, String> byName(List<String> users) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String user : users) {
            int colon = user.indexOf(':');
            result.put(colon < 0 ? user : user.substring(0, colon), colon < 0 ? "" : user.substring(colon + 1));
        }
        return result;
    }

    private static String show(List<String> values) {
        if (values.isEmpty()) {
            return "(none)";
        }
        return values.size() == 1 ? values.get(0) : values.toString();
    }
}
