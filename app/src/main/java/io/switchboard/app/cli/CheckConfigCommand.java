package io.switchboard.app.cli;

import io.switchboard.app.Switchboard;
import io.switchboard.app.config.ConfigSettings;
import io.switchboard.app.config.SwitchboardConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code switchboard check-config}: validates the configuration exactly as {@code serve} would, without starting. */
@Command(name = "check-config", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Validates the configuration (file, environment and flags, as serve reads them) without starting.")
final class CheckConfigCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;

    CheckConfigCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        SwitchboardConfig config = SwitchboardConfig.from(
                ConfigSettings.resolve(CatalogOptions.flags(spec.commandLine().getParseResult()), environment));
        Switchboard.validate(config);
        spec.commandLine().getOut().println("configuration OK: " + config);
        return 0;
    }
}
