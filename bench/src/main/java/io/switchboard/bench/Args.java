package io.switchboard.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Command-line options of a load generator: {@code --name value} pairs and bare {@code --flag}s. */
public final class Args {
    private final Map<String, String> values = new HashMap<>();

    public Args(List<String> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + argument + " (expected --name [value])");
            }
            String name = argument.substring(2);
            int equals = name.indexOf('=');
            if (equals >= 0) {
                values.put(name.substring(0, equals), name.substring(equals + 1));
            } else if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")) {
                values.put(name, arguments.get(++i));
            } else {
                values.put(name, "true");
            }
        }
    }

    public String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing option --" + name);
        }
        return value;
    }

    /** A required {@code HOST:PORT} option. */
    public java.net.InetSocketAddress address(String name) {
        String hostPort = required(name);
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("option --" + name + ": expected HOST:PORT, got " + hostPort);
        }
        return new java.net.InetSocketAddress(hostPort.substring(0, colon), parse(name, hostPort.substring(colon + 1)));
    }

    public int integer(String name, int defaultValue) {
        String value = values.get(name);
        return value == null ? defaultValue : parse(name, value);
    }

    public double decimal(String name, double defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + ": not a number: " + value, e);
        }
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    private static int parse(String name, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + ": not an integer: " + value, e);
        }
    }
}
