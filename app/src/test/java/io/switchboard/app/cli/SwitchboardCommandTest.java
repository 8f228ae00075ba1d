package io.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.config.ConfigOption;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwitchboardCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return SwitchboardCommand.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpListsEverySubcommand() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("serve", "check-config", "nat-check", "credentials", "token");
    }

    @Test
    void serveHelpListsEveryOptionWithItsEnvironmentVariable() {
        assertThat(run(Map.of(), "serve", "--help")).isZero();
        for (ConfigOption option : ConfigOption.values()) {
            assertThat(out.toString()).contains(option.flag()).contains(option.environmentVariable());
        }
    }

    @Test
    void unknownOptionFailsNamingIt() {
        assertThat(run(Map.of(), "serve", "--htp-port", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--htp-port");
    }

    @Test
    void invalidValueFailsNamingTheOption() {
        assertThat(run(Map.of(), "check-config", "--http-port", "eighty")).isEqualTo(2);
        assertThat(err.toString()).contains("--http-port: 'eighty' is not a whole number");
    }

    @Test
    void invalidEnvironmentValueFailsNamingTheVariable() {
        assertThat(run(Map.of("SWITCHBOARD_TURN_PORT", "x"), "check-config")).isEqualTo(2);
        assertThat(err.toString()).contains("--turn-port (from SWITCHBOARD_TURN_PORT)");
    }

    @Test
    void checkConfigAcceptsAValidConfiguration() {
        assertThat(run(Map.of(), "check-config", "--user", "alice:secret", "--realm", "example.org")).isZero();
        assertThat(out.toString()).startsWith("configuration OK").contains("example.org").doesNotContain("secret]");
    }
}
