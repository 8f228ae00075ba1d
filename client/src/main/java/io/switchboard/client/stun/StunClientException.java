package io.switchboard.client.stun;

/** A STUN transaction that did not give a usable response; the message says which server and why. */
public class StunClientException extends Exception {
    private static final long serialVersionUID = 1L;

    public StunClientException(String message) {
        super(message);
    }

    public StunClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
