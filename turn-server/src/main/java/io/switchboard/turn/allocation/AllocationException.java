package io.switchboard.turn.allocation;

/** A TURN request refused by allocation state, with the STUN error code to answer (RFC 8656 §7-§12). */
public final class AllocationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int errorCode;

    public AllocationException(int errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    /** The STUN error code: 400, 437, 486, 508 and so on. */
    public int errorCode() {
        return errorCode;
    }
}
