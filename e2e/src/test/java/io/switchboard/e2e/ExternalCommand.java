package io.switchboard.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A reference program run to completion (coturn's turnutils_*, the product jar), with its combined output. */
public record ExternalCommand(int exitCode, String output) {

    /** Runs {@code command}, killing it after {@code timeout}; the output is stdout and stderr together. */
    public static ExternalCommand run(Duration timeout, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process was killed
                }
            });
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                reader.join(5000);
                throw new AssertionError(command + " did not finish in " + timeout + "; output:\n" + output);
            }
            reader.join(5000);
            return new ExternalCommand(process.exitValue(), output.toString());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * uclient picks two random channels in 0x4000-0x4FFF per session, one for peer port+1 and one for the peer; when
     * both draws are equal (1 in 4096) any RFC 8656 §11.2 server must answer 400, so that run says nothing about us.
     */
    private static final java.util.regex.Pattern UCLIENT_CHANNEL_COLLISION = java.util.regex.Pattern.compile(
            "channel bind: error 400 \\(channel 0x[0-9a-f]{4} is bound to another peer\\)");

    /** Runs coturn's turnutils_uclient, again (at most three runs) when its own random channel numbers collided. */
    public static ExternalCommand uclient(Duration timeout, List<String> command) {
        ExternalCommand result = run(timeout, command);
        for (int attempt = 1; attempt < 3 && UCLIENT_CHANNEL_COLLISION.matcher(result.output()).find(); attempt++) {
            result = run(timeout, command);
        }
        return result;
    }

    /** Runs the product jar with {@code args}. */
    public static ExternalCommand switchboard(Duration timeout, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", SwitchboardProcess.jar().toString()));
        command.addAll(List.of(args));
        return run(timeout, command);
    }
}
