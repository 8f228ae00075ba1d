package io.switchboard.app;

import io.switchboard.app.config.ConfigOption;
import io.switchboard.app.config.ConfigSettings;
import io.switchboard.app.config.SwitchboardConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@link Switchboard} started in this JVM on loopback with free ports, and the addresses it printed. */
final class RunningSwitchboard implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("(?m)^listening (\\S+) (\\S+):(\\d+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Switchboard switchboard;
    final Map<String, InetSocketAddress> listeners = new HashMap<>();
    private final Supplier<ConfigSettings> settings;

    private RunningSwitchboard(Switchboard switchboard, String output, Supplier<ConfigSettings> settings) {
        this.switchboard = switchboard;
        this.settings = settings;
        Matcher m = LISTENING.matcher(output);
        while (m.find()) {
            listeners.put(m.group(1), new InetSocketAddress(m.group(2), Integer.parseInt(m.group(3))));
        }
    }

    /** Starts with {@code configFile} (may be null) and {@code extra} flags as option/value pairs. */
    static RunningSwitchboard start(Path configFile, Object... extra) {
        Map<ConfigOption, List<String>> flags = new EnumMap<>(ConfigOption.class);
        String[][] defaults = {{"BIND", "127.0.0.1"}, {"HTTP_PORT", "0"}, {"TURN_PORT", "0"}, {"TURNS_PORT", "0"},
            {"HTTPS_PORT", "0"}, {"ADMIN_PORT", "0"}};
        for (String[] pair : defaults) {
            flags.put(ConfigOption.valueOf(pair[0]), List.of(pair[1]));
        }
        if (configFile != null) {
            flags.put(ConfigOption.CONFIG, List.of(configFile.toString()));
        }
        for (int i = 0; i < extra.length; i += 2) {
            flags.computeIfAbsent((ConfigOption) extra[i], k -> new ArrayList<>()).add((String) extra[i + 1]);
        }
        Supplier<ConfigSettings> settings = () -> ConfigSettings.resolve(flags, Map.of());
        ConfigSettings first = settings.get();
        StringWriter out = new StringWriter();
        Switchboard switchboard = Switchboard.start(SwitchboardConfig.from(first), first, new PrintWriter(out, true));
        return new RunningSwitchboard(switchboard, out.toString(), settings);
    }

    /** What SIGHUP does: reload from flags and the (changed) file. */
    Switchboard.ReloadReport reload() {
        return switchboard.reload(settings);
    }

    InetSocketAddress listener(String name) {
        InetSocketAddress address = listeners.get(name);
        if (address == null) {
            throw new IllegalStateException("no listener " + name + " in " + listeners);
        }
        return address;
    }

    String url(String listener, String path) {
        InetSocketAddress address = listener(listener);
        return "http://" + address.getHostString() + ":" + address.getPort() + path;
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        switchboard.close();
    }
}
