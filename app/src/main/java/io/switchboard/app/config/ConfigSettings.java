package io.switchboard.app.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The raw value of every option after merging the sources (flags over environment over file over defaults), with typed
 * readers whose errors name the option and where it was written.
 */
public final class ConfigSettings {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%\\w+)?]?");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One option's values and the source that set them. */
    private record Setting(List<String> values, ConfigSource source) {
    }

    private final Map<ConfigOption, Setting> settings;
    private final String fileName;

    private ConfigSettings(Map<ConfigOption, Setting> settings, String fileName) {
        this.settings = settings;
        this.fileName = fileName;
    }

    /**
     * Merges the sources: {@code flags} (option to values as given on the command line), {@code environment} (the
     * process environment; only {@code SWITCHBOARD_<OPTION>} variables count) and the YAML file named by
     * {@code --config} or {@code SWITCHBOARD_CONFIG}.
     */
    public static ConfigSettings resolve(Map<ConfigOption, List<String>> flags, Map<String, String> environment) {
        Map<ConfigOption, Setting> merged = new EnumMap<>(ConfigOption.class);
        for (ConfigOption option : ConfigOption.values()) {
            option.defaultValue().ifPresent(v -> merged.put(option, new Setting(List.of(v), ConfigSource.DEFAULT)));
        }
        Map<ConfigOption, Setting> fromEnv = fromEnvironment(environment);
        Optional<String> file = Optional.ofNullable(flags.get(ConfigOption.CONFIG)).map(v -> v.get(v.size() - 1))
                .or(() -> Optional.ofNullable(fromEnv.get(ConfigOption.CONFIG)).map(s -> s.values().get(0)));
        String fileName = file.orElse("");
        file.ifPresent(f -> merged.putAll(fromFile(Path.of(f))));
        merged.putAll(fromEnv);
        flags.forEach((option, values) -> {
            if (!values.isEmpty()) {
                merged.put(option, new Setting(List.copyOf(values), ConfigSource.FLAG));
            }
        });
        return new ConfigSettings(merged, fileName);
    }

    /** Settings with only the defaults and the given flags; for tests and subcommands without a file. */
    public static ConfigSettings ofFlags(Map<ConfigOption, List<String>> flags) {
        return resolve(flags, Map.of());
    }

    private static Map<ConfigOption, Setting> fromEnvironment(Map<String, String> environment) {
        Map<ConfigOption, Setting> result = new EnumMap<>(ConfigOption.class);
        for (ConfigOption option : ConfigOption.values()) {
            String value = environment.get(option.environmentVariable());
            if (value == null) {
                continue;
            }
            List<String> values = option.repeatable()
                    ? Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList())
                    : List.of(value);
            result.put(option, new Setting(values, ConfigSource.ENVIRONMENT));
        }
        return result;
    }

    private static Map<ConfigOption, Setting> fromFile(Path path) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new ConfigException("--config: file not found: " + path);
        } catch (JacksonException e) {
            throw new ConfigException("--config: " + path + " is not valid YAML: " + e.getOriginalMessage()
                    + Optional.ofNullable(e.getLocation()).map(l -> " (line " + l.getLineNr() + ")").orElse(""));
        } catch (IOException e) {
            throw new ConfigException("--config: cannot read " + path + ": " + e.getMessage(), e);
        }
        Map<ConfigOption, Setting> result = new EnumMap<>(ConfigOption.class);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return result;
        }
        if (!root.isObject()) {
            throw new ConfigException("--config: " + path + " must be a mapping of option names to values");
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            ConfigOption option = ConfigOption.byKey(field.getKey())
                    .filter(o -> o != ConfigOption.CONFIG)
                    .orElseThrow(() -> new ConfigException("--config: unknown option '" + field.getKey() + "' in " + path
                            + " (known: " + Arrays.stream(ConfigOption.values()).filter(o -> o != ConfigOption.CONFIG)
                            .map(ConfigOption::key).collect(Collectors.joining(", ")) + ")"));
            result.put(option, new Setting(fileValues(option, field.getValue(), path), ConfigSource.FILE));
        }
        return result;
    }

    private static List<String> fileValues(ConfigOption option, JsonNode node, Path path) {
        String where = option.flag() + " (key '" + option.key() + "' in " + path + ")";
        if (node.isArray()) {
            if (!option.repeatable()) {
                throw new ConfigException(where + ": takes one value, not a list");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode item : node) {
                values.add(scalar(item, where));
            }
            return values;
        }
        return List.of(scalar(node, where));
    }

    private static String scalar(JsonNode node, String where) {
        if (node.isValueNode() && !node.isNull()) {
            return node.asText();
        }
        throw new ConfigException(where + ": expected a plain value, got " + node.getNodeType().toString().toLowerCase(Locale.ROOT));
    }

    private String where(ConfigOption option) {
        Setting setting = settings.get(option);
        return setting == null ? option.flag() : setting.source().describe(option, fileName);
    }

    /**
     * A configuration error about {@code option}, naming where it was set. For options holding secrets every quoted
     * value in {@code problem} is masked, since a module may quote what it was given (a password).
     */
    public ConfigException error(ConfigOption option, String problem) {
        String shown = option.secret() ? problem.replaceAll("'[^']*'", "'***'") : problem;
        return new ConfigException(where(option) + ": " + shown);
    }

    /** The option's values as written (after merging the sources), or its default; empty when it has neither. */
    public List<String> values(ConfigOption option) {
        Setting setting = settings.get(option);
        return setting == null ? List.of() : setting.values();
    }

    /** Whether the option was set anywhere other than its default. */
    public boolean isSet(ConfigOption option) {
        Setting setting = settings.get(option);
        return setting != null && setting.source() != ConfigSource.DEFAULT;
    }

    public Optional<String> string(ConfigOption option) {
        Setting setting = settings.get(option);
        if (setting == null || setting.values().isEmpty()) {
            return Optional.empty();
        }
        if (setting.values().size() > 1 && !option.repeatable()) {
            throw error(option, "given " + setting.values().size() + " times; it takes one value");
        }
        String value = setting.values().get(setting.values().size() - 1);
        if (value.isBlank()) {
            throw error(option, "must not be empty");
        }
        return Optional.of(value.trim());
    }

    public List<String> strings(ConfigOption option) {
        Setting setting = settings.get(option);
        if (setting == null) {
            return List.of();
        }
        for (String value : setting.values()) {
            if (value.isBlank()) {
                throw error(option, "must not be empty");
            }
        }
        return setting.values().stream().map(String::trim).collect(Collectors.toUnmodifiableList());
    }

    public String required(ConfigOption option) {
        return string(option).orElseThrow(() -> error(option, "is required"));
    }

    /** A port number, 0 meaning "pick a free one". */
    public int port(ConfigOption option) {
        return integer(option, 0, 65535);
    }

    public int integer(ConfigOption option, long min, long max) {
        return (int) longInteger(option, min, Math.min(max, Integer.MAX_VALUE));
    }

    public long longInteger(ConfigOption option, long min, long max) {
        String value = required(option);
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw error(option, "'" + value + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw error(option, "must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    public boolean bool(ConfigOption option) {
        String value = required(option).toLowerCase(Locale.ROOT);
        switch (value) {
            case "true": case "yes": case "on": case "1":
                return true;
            case "false": case "no": case "off": case "0":
                return false;
            default:
                throw error(option, "'" + value + "' is not true or false");
        }
    }

    /** An IP address literal (no name lookups at start). */
    public Optional<InetAddress> address(ConfigOption option) {
        return string(option).map(value -> parseAddress(option, value));
    }

    private InetAddress parseAddress(ConfigOption option, String value) {
        String literal = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        if (!IP_LITERAL.matcher(literal).matches()) {
            throw error(option, "'" + value + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw error(option, "'" + value + "' is not an IP address");
        }
    }

    /** A port range written LO-HI. */
    public PortRange portRange(ConfigOption option) {
        String value = required(option);
        String[] parts = value.split("-", -1);
        if (parts.length != 2) {
            throw error(option, "'" + value + "' is not a range LO-HI");
        }
        try {
            int lo = Integer.parseInt(parts[0].trim());
            int hi = Integer.parseInt(parts[1].trim());
            if (lo < 1 || hi > 65535 || lo > hi) {
                throw error(option, "'" + value + "' is not a range LO-HI with 1 <= LO <= HI <= 65535");
            }
            return new PortRange(lo, hi);
        } catch (NumberFormatException e) {
            throw error(option, "'" + value + "' is not a range LO-HI of port numbers");
        }
    }

    /** An inclusive port range. */
    public record PortRange(int low, int high) {
        @Override
        public String toString() {
            return low + "-" + high;
        }
    }
}
