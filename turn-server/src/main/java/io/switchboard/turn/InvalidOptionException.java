package io.switchboard.turn;

/**
 * A configuration value the server cannot run with. The message starts with the option as the user wrote it
 * ({@code --relay-ports: 60000-50000 is not LO-HI with LO <= HI}) so that the command line can print it as is.
 */
public final class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String option;

    public InvalidOptionException(String option, String problem) {
        super(option + ": " + problem);
        this.option = option;
    }

    public InvalidOptionException(String option, String problem, Throwable cause) {
        super(option + ": " + problem, cause);
        this.option = option;
    }

    /** The option, e.g. {@code --relay-ports}. */
    public String option() {
        return option;
    }
}
