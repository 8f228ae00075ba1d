package io.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.cli.SwitchboardCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/CONFIGURATION.md and examples/switchboard.yaml stay in step with the option catalog. */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("..", "docs", "CONFIGURATION.md");
    private static final Path EXAMPLE = Path.of("..", "examples", "switchboard.yaml");

    @Test
    void theOptionTablesOfTheDocumentAreTheCatalogs() throws IOException {
        String document = Files.readString(DOC);
        assertThat(ConfigurationDoc.generatedPart(document))
                .as("docs/CONFIGURATION.md is out of date; run: java -cp app/target/switchboard.jar "
                        + "io.switchboard.app.config.ConfigurationDoc docs/CONFIGURATION.md")
                .isEqualTo(ConfigurationDoc.render());
    }

    @Test
    void theDocumentListsEveryOptionWithItsDefaultAndVariable() {
        String tables = ConfigurationDoc.render();
        for (ConfigOption option : ConfigOption.values()) {
            assertThat(tables).contains("`" + option.flag() + " ").contains("`" + option.environmentVariable() + "`");
            option.defaultValue().ifPresent(d -> assertThat(tables).contains("`" + d.replace("|", "\\|") + "`"));
        }
    }

    @Test
    void theExampleFileMentionsEveryOption() throws IOException {
        String example = Files.readString(EXAMPLE);
        for (ConfigOption option : ConfigOption.values()) {
            if (option == ConfigOption.CONFIG) {
                continue;
            }
            assertThat(Pattern.compile("(?m)^(# )?" + Pattern.quote(option.key()) + ":").matcher(example).find())
                    .as("examples/switchboard.yaml has a line '" + option.key() + ":' (or '# " + option.key() + ":')")
                    .isTrue();
        }
    }

    @Test
    void checkConfigAcceptsTheExampleFile() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCommand.run(new String[] {"check-config", "--config", EXAMPLE.toString()}, Map.of(),
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("configuration OK").contains("realm=example.org")
                .doesNotContain("change-me-please").doesNotContain("replace-with-a-long-random-secret");
    }
}
