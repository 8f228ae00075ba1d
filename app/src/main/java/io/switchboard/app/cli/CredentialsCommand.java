package io.switchboard.app.cli;

import io.switchboard.app.config.ConfigException;
import io.switchboard.app.config.ConfigOption;
import io.switchboard.turn.InvalidOptionException;
import io.switchboard.turn.TurnRestCredentials;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard credentials}: prints TURN REST API credentials (draft-uberti-behave-turn-rest section 2.2). */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = "Prints ephemeral TURN credentials (TURN REST API) that a server with the same --auth-secret accepts.")
final class CredentialsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--secret", paramLabel = "SECRET",
            description = "The shared secret (the server's --auth-secret). Default: the first of $SWITCHBOARD_AUTH_SECRET.")
    private String secret;

    @Option(names = "--user", paramLabel = "U", defaultValue = "",
            description = "User name embedded in the credentials (may be empty).")
    private String user;

    @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "86400",
            description = "Lifetime of the credentials. Default: ${DEFAULT-VALUE}.")
    private long ttlSeconds;

    @Option(names = "--json", description = "Print JSON in the form of /api/ice-servers instead of lines.")
    private boolean json;

    private final Map<String, String> environment;

    CredentialsCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        String key = Optional.ofNullable(secret)
                .or(() -> Optional.ofNullable(environment.get(ConfigOption.AUTH_SECRET.environmentVariable()))
                        .map(v -> v.split(",")[0].trim()))
                .orElseThrow(() -> new ConfigException("--secret: is required (or set "
                        + ConfigOption.AUTH_SECRET.environmentVariable() + ")"));
        TurnRestCredentials credentials;
        try {
            credentials = TurnRestCredentials.issue(key, user, Duration.ofSeconds(ttlSeconds), Clock.systemUTC());
        } catch (InvalidOptionException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.printf("{\"username\":\"%s\",\"password\":\"%s\",\"ttl\":%d}%n",
                    credentials.username(), credentials.password(), credentials.ttl().toSeconds());
        } else {
            out.println("username: " + credentials.username());
            out.println("password: " + credentials.password());
            out.println("ttl: " + credentials.ttl().toSeconds());
            out.println("expires: " + credentials.expiresAt());
        }
        return 0;
    }
}
