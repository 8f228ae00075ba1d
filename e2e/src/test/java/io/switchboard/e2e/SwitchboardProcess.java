package io.switchboard.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real product, {@code java -jar app/target/switchboard.jar}, run as a child process; it parses the
 * {@code listening <name> <addr>:<port>} lines so tests can reach every listener.
 */
public final class SwitchboardProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("^listening (\\S+) (\\S+):(\\d+)$");
    private static final String READY = "switchboard ready";

    private final Process process;
    private final Map<String, InetSocketAddress> listeners = new ConcurrentHashMap<>();
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch ready = new CountDownLatch(1);

    private SwitchboardProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "switchboard-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The product jar built by the app module. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("switchboard.jar", "../app/target/switchboard.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("product jar not built: " + jar);
        }
        return jar;
    }

    /**
     * Starts {@code switchboard serve} bound to 127.0.0.1 on free ports (every listener, the TLS ones included) plus
     * {@code extraArgs}, and waits until it says it is ready.
     */
    public static SwitchboardProcess serve(String... extraArgs) {
        return serve(Map.of(), extraArgs);
    }

    /**
     * As {@link #serve(String...)} with extra {@code SWITCHBOARD_*} environment variables. Unless a test sets
     * {@code --drain-timeout} (or its variable), SIGTERM stops the server at once rather than letting allocations that a
     * killed client left behind hold it for the default 30 seconds.
     */
    public static SwitchboardProcess serve(Map<String, String> environment, String... extraArgs) {
        Map<String, String> env = new HashMap<>(Map.of("SWITCHBOARD_DRAIN_TIMEOUT", "0"));
        env.putAll(environment);
        List<String> args = new ArrayList<>(List.of("serve", "--bind", "127.0.0.1", "--http-port", "0",
                "--turn-port", "0", "--admin-port", "0", "--turns-port", "0", "--https-port", "0"));
        args.addAll(List.of(extraArgs));
        SwitchboardProcess server = start(env, args);
        server.awaitReady(Duration.ofSeconds(60));
        return server;
    }

    /** Starts {@code switchboard <args>} with extra environment variables, without waiting. */
    public static SwitchboardProcess start(Map<String, String> environment, List<String> args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
        builder.environment().putAll(environment);
        try {
            return new SwitchboardProcess(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.matches()) {
                    listeners.put(m.group(1), new InetSocketAddress(m.group(2), Integer.parseInt(m.group(3))));
                } else if (line.equals(READY)) {
                    ready.countDown();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Waits for the ready line; fails with the process output when it does not come. */
    public void awaitReady(Duration timeout) {
        try {
            if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("switchboard did not get ready in " + timeout + "; output:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the process to exit and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("switchboard still running after " + timeout + "; output:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The address of listener {@code name} (http, turn-udp, turn-tcp, turns, admin, ...). */
    public InetSocketAddress listener(String name) {
        return Optional.ofNullable(listeners.get(name)).orElseThrow(
                () -> new IllegalStateException("no 'listening " + name + "' line; output:\n" + output()));
    }

    public Map<String, InetSocketAddress> listeners() {
        return Map.copyOf(listeners);
    }

    public String httpUrl() {
        InetSocketAddress http = listener("http");
        return "http://" + http.getHostString() + ":" + http.getPort();
    }

    /** The HTTPS/WSS listener's base URL (self-signed unless --tls-cert was given). */
    public String httpsUrl() {
        InetSocketAddress https = listener("https");
        return "https://" + https.getHostString() + ":" + https.getPort();
    }

    public String adminUrl() {
        InetSocketAddress admin = listener("admin");
        return "http://" + admin.getHostString() + ":" + admin.getPort();
    }

    /** Everything the process printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends the signal {@code name} (HUP, TERM, INT, ...) to the process with {@code kill -s}. */
    public void signal(String name) {
        ExternalCommand result = ExternalCommand.run(Duration.ofSeconds(10),
                List.of("kill", "-s", name, Long.toString(process.pid())));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("kill -s " + name + " " + process.pid() + " failed: " + result.output());
        }
    }

    /** Waits until a line of output matches {@code regex} (found anywhere in the line) and returns that line. */
    public String awaitOutput(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            synchronized (output) {
                for (; checked < output.size(); checked++) {
                    if (pattern.matcher(output.get(checked)).find()) {
                        return output.get(checked);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no output line matching /" + regex + "/ in " + timeout + "; output:\n"
                        + output());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Sends SIGTERM (graceful) and waits for the exit. */
    public int terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Sends SIGKILL. */
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
