package io.switchboard.app.cli;

import io.switchboard.app.config.ConfigException;
import io.switchboard.app.config.ConfigOption;
import io.switchboard.signaling.SignalingTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard token}: mints a signaling access token (HS256 JWT with room and exp claims). */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Mints a signaling access token for one room, for servers started with --signaling-secret.")
final class TokenCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--room", paramLabel = "R", required = true, description = "The room the token admits to.")
    private String room;

    @Option(names = "--secret", paramLabel = "SECRET",
            description = "The server's --signaling-secret. Default: $SWITCHBOARD_SIGNALING_SECRET.")
    private String secret;

    @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Lifetime of the token. Default: ${DEFAULT-VALUE}.")
    private long ttlSeconds;

    private final Map<String, String> environment;

    TokenCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        String key = Optional.ofNullable(secret)
                .or(() -> Optional.ofNullable(environment.get(ConfigOption.SIGNALING_SECRET.environmentVariable())))
                .orElseThrow(() -> new ConfigException("--secret: is required (or set "
                        + ConfigOption.SIGNALING_SECRET.environmentVariable() + ")"));
        if (ttlSeconds < 1) {
            throw new ConfigException("--ttl: must be a positive number of seconds, got " + ttlSeconds);
        }
        try {
            spec.commandLine().getOut().println(
                    SignalingTokens.mint(key, room, Duration.ofSeconds(ttlSeconds), Clock.systemUTC()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        return 0;
    }
}
