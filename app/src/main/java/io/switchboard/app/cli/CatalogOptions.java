package io.switchboard.app.cli;

import io.switchboard.app.config.ConfigOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** Turns the option catalog into picocli options and reads the flags a user gave back into catalog terms. */
final class CatalogOptions {
    private CatalogOptions() {
    }

    /** Adds every catalog option to {@code spec}, with its default and environment variable in the help text. */
    static void addAll(CommandSpec spec) {
        for (ConfigOption option : ConfigOption.values()) {
            String help = option.description()
                    + option.defaultValue().map(d -> " Default: " + d + ".").orElse("")
                    + " Env: " + option.environmentVariable() + ".";
            OptionSpec.Builder builder = OptionSpec.builder(option.flag())
                    .paramLabel(option.label())
                    .description(help)
                    .arity("1");
            if (option.repeatable()) {
                builder.type(List.class).auxiliaryTypes(String.class);
            } else {
                builder.type(String.class);
            }
            spec.addOption(builder.build());
        }
    }

    /** The catalog options that appear on the command line, with their values in the order given. */
    static Map<ConfigOption, List<String>> flags(ParseResult parseResult) {
        Map<ConfigOption, List<String>> flags = new EnumMap<>(ConfigOption.class);
        for (ConfigOption option : ConfigOption.values()) {
            OptionSpec matched = parseResult.matchedOption(option.flag());
            if (matched == null) {
                continue;
            }
            List<String> values = new ArrayList<>();
            for (String value : matched.stringValues()) {
                values.add(value);
            }
            flags.put(option, values);
        }
        return flags;
    }
}
