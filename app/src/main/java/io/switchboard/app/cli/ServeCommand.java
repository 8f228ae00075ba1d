package io.switchboard.app.cli;

import io.switchboard.app.ProcessSignals;
import io.switchboard.app.Switchboard;
import io.switchboard.app.config.ConfigOption;
import io.switchboard.app.config.ConfigSettings;
import io.switchboard.app.config.SwitchboardConfig;
import io.switchboard.app.logging.LogSetup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code switchboard serve}: runs signaling, STUN/TURN and the web client until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs signaling and the web client on HTTP and HTTPS, STUN/TURN on UDP, TCP and TLS, and the "
                + "admin listener. SIGHUP reloads users, secrets, peer policy, quotas and certificates; SIGTERM drains "
                + "(up to --drain-timeout) and stops.",
            "Every option can also be set in the --config YAML file or as SWITCHBOARD_<OPTION>; "
                    + "flags win over the environment, the environment over the file."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;

    ServeCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        Map<ConfigOption, List<String>> flags = CatalogOptions.flags(spec.commandLine().getParseResult());
        ConfigSettings settings = ConfigSettings.resolve(flags, environment);
        SwitchboardConfig config = SwitchboardConfig.from(settings);
        LogSetup.apply(config.logFormat(), config.logLevel());
        Switchboard switchboard = Switchboard.start(config, settings, spec.commandLine().getOut());
        Runtime.getRuntime().addShutdownHook(new Thread(switchboard::close, "switchboard-shutdown"));
        ProcessSignals.install(switchboard, () -> ConfigSettings.resolve(flags, environment));
        spec.commandLine().getOut().println(Switchboard.READY);
        spec.commandLine().getOut().flush();
        switchboard.awaitClosed();
        return 0;
    }
}
