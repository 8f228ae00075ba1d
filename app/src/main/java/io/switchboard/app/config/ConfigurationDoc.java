package io.switchboard.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders the option tables of docs/CONFIGURATION.md from the catalog, so the document cannot drift from the code: a
 * test compares the two, and {@code main} rewrites the generated part of the file.
 */
public final class ConfigurationDoc {
    /** Marks the start of the generated part. */
    public static final String BEGIN = "<!-- BEGIN GENERATED OPTIONS: edit ConfigOption, then run ConfigurationDoc -->";
    /** Marks the end of the generated part. */
    public static final String END = "<!-- END GENERATED OPTIONS -->";

    private ConfigurationDoc() {
    }

    /** The option tables, one section per group, between the markers. */
    public static String render() {
        StringBuilder out = new StringBuilder(BEGIN).append('\n');
        for (ConfigOption.Group group : ConfigOption.Group.values()) {
            boolean any = false;
            for (ConfigOption option : ConfigOption.values()) {
                if (option.group() != group) {
                    continue;
                }
                if (!any) {
                    out.append("\n### ").append(group.title()).append("\n\n")
                            .append("| option | environment | default | reload | meaning |\n")
                            .append("|---|---|---|---|---|\n");
                    any = true;
                }
                out.append("| `").append(option.flag()).append(' ').append(escape(option.label())).append('`')
                        .append(option.repeatable() ? " (repeatable)" : "")
                        .append(" | `").append(option.environmentVariable()).append('`')
                        .append(" | ").append(option.defaultValue().map(d -> "`" + escape(d) + "`").orElse("none"))
                        .append(" | ").append(option.reloadable() ? "SIGHUP" : "restart")
                        .append(" | ").append(escape(option.description())).append(" |\n");
            }
        }
        return out.append('\n').append(END).toString();
    }

    /** The generated part of {@code document}, markers included; empty when the markers are missing. */
    public static String generatedPart(String document) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            return "";
        }
        return document.substring(begin, end + END.length());
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }

    /** Rewrites the generated part of the file named by {@code args[0]} (docs/CONFIGURATION.md). */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "docs/CONFIGURATION.md");
        String document = Files.readString(file, StandardCharsets.UTF_8);
        String old = generatedPart(document);
        if (old.isEmpty()) {
            throw new IllegalStateException(file + " has no " + BEGIN + " ... " + END + " markers");
        }
        Files.writeString(file, document.replace(old, render()), StandardCharsets.UTF_8);
    }
}
