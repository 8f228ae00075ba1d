package io.switchboard.stun;

import java.nio.ByteBuffer;

/** ERROR-CODE: a code 300-699 and a reason phrase (RFC 8489 §14.8, RFC 8656 §19, RFC 6062 §6.3). */
public record ErrorCode(int code, String reason) implements StunAttribute {
    /** Fewer than 128 characters, up to 763 bytes when decoding (RFC 8489 §14.8). */
    public static final int MAX_REASON_LENGTH = 763;
    public static final int MIN_CODE = 300;
    public static final int MAX_CODE = 699;

    public static final int TRY_ALTERNATE = 300;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHENTICATED = 401;
    public static final int FORBIDDEN = 403;
    public static final int MOBILITY_FORBIDDEN = 405;
    public static final int UNKNOWN_ATTRIBUTE = 420;
    public static final int ALLOCATION_MISMATCH = 437;
    public static final int STALE_NONCE = 438;
    public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;
    public static final int WRONG_CREDENTIALS = 441;
    public static final int UNSUPPORTED_TRANSPORT_PROTOCOL = 442;
    public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;
    public static final int CONNECTION_ALREADY_EXISTS = 446;
    public static final int CONNECTION_TIMEOUT_OR_FAILURE = 447;
    public static final int ALLOCATION_QUOTA_REACHED = 486;
    public static final int ROLE_CONFLICT = 487;
    public static final int SERVER_ERROR = 500;
    public static final int INSUFFICIENT_CAPACITY = 508;

    public ErrorCode {
        if (code < MIN_CODE || code > MAX_CODE) {
            throw new IllegalArgumentException("ERROR-CODE must be 300-699, got " + code);
        }
        if (reason == null) {
            throw new IllegalArgumentException("ERROR-CODE reason is required (may be empty)");
        }
        Utf8.requireWellFormed(reason, "ERROR-CODE reason");
        if (Utf8.length(reason) > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("ERROR-CODE reason is longer than " + MAX_REASON_LENGTH + " bytes");
        }
    }

    /** The code with its registered reason phrase ("Stale Nonce"). */
    public static ErrorCode of(int code) {
        return new ErrorCode(code, reasonPhrase(code));
    }

    /** The reason phrase the IANA registry gives {@code code}, or "Error" for codes it does not list. */
    public static String reasonPhrase(int code) {
        switch (code) {
            case TRY_ALTERNATE: return "Try Alternate";
            case BAD_REQUEST: return "Bad Request";
            case UNAUTHENTICATED: return "Unauthenticated";
            case FORBIDDEN: return "Forbidden";
            case MOBILITY_FORBIDDEN: return "Mobility Forbidden";
            case UNKNOWN_ATTRIBUTE: return "Unknown Attribute";
            case ALLOCATION_MISMATCH: return "Allocation Mismatch";
            case STALE_NONCE: return "Stale Nonce";
            case ADDRESS_FAMILY_NOT_SUPPORTED: return "Address Family not Supported";
            case WRONG_CREDENTIALS: return "Wrong Credentials";
            case UNSUPPORTED_TRANSPORT_PROTOCOL: return "Unsupported Transport Protocol";
            case PEER_ADDRESS_FAMILY_MISMATCH: return "Peer Address Family Mismatch";
            case CONNECTION_ALREADY_EXISTS: return "Connection Already Exists";
            case CONNECTION_TIMEOUT_OR_FAILURE: return "Connection Timeout or Failure";
            case ALLOCATION_QUOTA_REACHED: return "Allocation Quota Reached";
            case ROLE_CONFLICT: return "Role Conflict";
            case SERVER_ERROR: return "Server Error";
            case INSUFFICIENT_CAPACITY: return "Insufficient Capacity";
            default: return "Error";
        }
    }

    @Override
    public int type() {
        return AttributeType.ERROR_CODE;
    }

    @Override
    public int valueLength() {
        return 4 + Utf8.length(reason);
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putShort((short) 0);
        out.put((byte) (code / 100));
        out.put((byte) (code % 100));
        out.put(Utf8.encode(reason));
    }

    static ErrorCode decode(StunReader r) throws StunDecodeException {
        r.requireLengthBetween(4, 4 + MAX_REASON_LENGTH);
        r.skip(2);
        return new ErrorCode(readCode(r), r.utf8());
    }

    /** Class (the low 3 bits of the third byte) and number (the fourth byte), shared with ADDRESS-ERROR-CODE. */
    static int readCode(StunReader r) throws StunDecodeException {
        int errorClass = r.u8() & 0x07;
        int number = r.u8();
        if (errorClass < 3 || errorClass > 6) {
            throw r.error("class " + errorClass + " out of range 3-6");
        }
        if (number > 99) {
            throw r.error("number " + number + " out of range 0-99");
        }
        return errorClass * 100 + number;
    }
}
