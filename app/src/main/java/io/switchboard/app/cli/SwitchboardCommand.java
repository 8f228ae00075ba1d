package io.switchboard.app.cli;

import io.switchboard.app.config.ConfigException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;

/** The {@code switchboard} command and its subcommands. */
@Command(name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = SwitchboardCommand.Version.class,
        description = "WebRTC infrastructure in one program: signaling, STUN, TURN and the web client.",
        subcommands = {
            ServeCommand.class,
            CheckConfigCommand.class,
            NatCheckCommand.class,
            CredentialsCommand.class,
            TokenCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SwitchboardCommand implements Runnable {
    /** Exit code for a configuration or usage error. */
    public static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line {@code args} with {@code environment} as the process environment; returns the exit code. */
    public static int run(String[] args, Map<String, String> environment) {
        return run(args, environment, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** As {@link #run(String[], Map)}, printing to the given writers. */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new SwitchboardCommand(), new Factory(environment));
        CatalogOptions.addAll(commandLine.getSubcommands().get("serve").getCommandSpec());
        CatalogOptions.addAll(commandLine.getSubcommands().get("check-config").getCommandSpec());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof ConfigException) {
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + exception.getMessage());
                cmd.getErr().flush();
                return USAGE_ERROR;
            }
            throw exception;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds subcommands with the process environment. */
    private static final class Factory implements IFactory {
        private final Map<String, String> environment;

        Factory(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(Map.class).newInstance(environment);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SwitchboardCommand.class.getPackage().getImplementationVersion();
            return new String[] {"switchboard " + (version == null ? "development build" : version)};
        }
    }
}
