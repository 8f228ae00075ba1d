package io.switchboard.stun;

/** A string the OpaqueString profile of RFC 8265 §4.2 refuses: empty, or with a code point it disallows. */
public final class OpaqueStringException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final int codePoint;

    OpaqueStringException(String message, int index, int codePoint) {
        super(message);
        this.index = index;
        this.codePoint = codePoint;
    }

    /** The char index of the refused code point after preparation, or -1 for an empty string. */
    public int index() {
        return index;
    }

    /** The refused code point, or -1 for an empty string. */
    public int codePoint() {
        return codePoint;
    }
}
