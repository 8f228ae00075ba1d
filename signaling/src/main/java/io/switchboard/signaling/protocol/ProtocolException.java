package io.switchboard.signaling.protocol;

import java.util.Optional;

/** A client message that cannot be accepted, with the error code and the text to send back. */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Optional<String> requestId;

    public ProtocolException(ErrorCode code, String message, Optional<String> requestId) {
        super(message, null, false, false);
        this.code = code;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    /** The raw JSON of the message's {@code id} when it was read before the problem was found. */
    public Optional<String> requestId() {
        return requestId;
    }
}
