package io.switchboard.app.config;

/** Where a setting came from, in increasing precedence; used to say where a bad value was written. */
public enum ConfigSource {
    DEFAULT, FILE, ENVIRONMENT, FLAG;

    /** How an error message names the option as written in this source. */
    String describe(ConfigOption option, String file) {
        switch (this) {
            case FILE:
                return option.flag() + " (key '" + option.key() + "' in " + file + ")";
            case ENVIRONMENT:
                return option.flag() + " (from " + option.environmentVariable() + ")";
            default:
                return option.flag();
        }
    }
}
