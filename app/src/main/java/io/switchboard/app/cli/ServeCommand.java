package io.switchboard.app.cli;

import io.switchboard.app.Switchboard;
import io.switchboard.app.config.ConfigSettings;
import io.switchboard.app.config.SwitchboardConfig;
import io.switchboard.app.logging.LogSetup;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code switchboard serve}: runs signaling, STUN/TURN and the web client until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs signaling and the web client on HTTP, STUN/TURN on UDP and TCP, and the admin listener.",
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
        SwitchboardConfig config = SwitchboardConfig.from(
                ConfigSettings.resolve(CatalogOptions.flags(spec.commandLine().getParseResult()), environment));
        LogSetup.apply(config.logFormat());
        Switchboard switchboard = Switchboard.start(config, spec.commandLine().getOut());
        Runtime.getRuntime().addShutdownHook(new Thread(switchboard::close, "switchboard-shutdown"));
        switchboard.awaitClosed();
        return 0;
    }
}
