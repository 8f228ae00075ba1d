package io.switchboard.app.config;

/** A configuration error; the message starts with the option it is about, e.g. "--http-port: ...". */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
