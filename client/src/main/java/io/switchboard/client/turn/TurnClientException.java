package io.switchboard.client.turn;

/**
 * A TURN transaction that failed: an error response from the server ({@link #errorCode()} 400-699), or no answer in
 * time, a broken connection or a response that failed its integrity check ({@link #errorCode()} 0).
 */
public final class TurnClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errorCode;

    public TurnClientException(String message) {
        this(0, message, null);
    }

    public TurnClientException(String message, Throwable cause) {
        this(0, message, cause);
    }

    public TurnClientException(int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** The STUN error code of the server's answer, or 0 when there was none. */
    public int errorCode() {
        return errorCode;
    }
}
