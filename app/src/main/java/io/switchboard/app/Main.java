package io.switchboard.app;

import io.switchboard.app.cli.SwitchboardCommand;

/** Entry point of {@code bin/switchboard}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(SwitchboardCommand.run(args, System.getenv()));
    }
}
