package io.switchboard.client.signaling;

/** A join the server refused, or a connection that could not be made; {@link #code()} is the protocol error code. */
public final class SignalingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public SignalingException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public SignalingException(String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    /** The kebab-case error code, e.g. {@code room-full}, {@code unauthorized}, or {@code connect-failed}. */
    public String code() {
        return code;
    }
}
