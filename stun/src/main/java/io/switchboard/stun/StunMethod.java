package io.switchboard.stun;

/**
 * A 12-bit STUN method (RFC 8489 §5, §18.2) with the methods of TURN (RFC 8656 §17) and TURN over TCP (RFC 6062 §6.1).
 * Unknown methods are representable so that a server can answer them with an error.
 */
public record StunMethod(int code) {
    public static final int MAX_CODE = 0xFFF;

    public static final StunMethod BINDING = new StunMethod(0x001);
    /** RFC 3489 Shared Secret; reserved since RFC 5389. */
    public static final StunMethod SHARED_SECRET = new StunMethod(0x002);
    public static final StunMethod ALLOCATE = new StunMethod(0x003);
    public static final StunMethod REFRESH = new StunMethod(0x004);
    public static final StunMethod SEND = new StunMethod(0x006);
    public static final StunMethod DATA = new StunMethod(0x007);
    public static final StunMethod CREATE_PERMISSION = new StunMethod(0x008);
    public static final StunMethod CHANNEL_BIND = new StunMethod(0x009);
    public static final StunMethod CONNECT = new StunMethod(0x00A);
    public static final StunMethod CONNECTION_BIND = new StunMethod(0x00B);
    public static final StunMethod CONNECTION_ATTEMPT = new StunMethod(0x00C);

    public StunMethod {
        if (code < 0 || code > MAX_CODE) {
            throw new IllegalArgumentException("STUN method must be 0x000-0xFFF, got 0x" + Integer.toHexString(code));
        }
    }

    public static StunMethod of(int code) {
        switch (code) {
            case 0x001: return BINDING;
            case 0x003: return ALLOCATE;
            case 0x004: return REFRESH;
            case 0x006: return SEND;
            case 0x007: return DATA;
            case 0x008: return CREATE_PERMISSION;
            case 0x009: return CHANNEL_BIND;
            default: return new StunMethod(code);
        }
    }

    /** The registered name ("Binding", "CreatePermission") or the hex code. */
    public String displayName() {
        switch (code) {
            case 0x001: return "Binding";
            case 0x002: return "SharedSecret";
            case 0x003: return "Allocate";
            case 0x004: return "Refresh";
            case 0x006: return "Send";
            case 0x007: return "Data";
            case 0x008: return "CreatePermission";
            case 0x009: return "ChannelBind";
            case 0x00A: return "Connect";
            case 0x00B: return "ConnectionBind";
            case 0x00C: return "ConnectionAttempt";
            default: return String.format("0x%03X", code);
        }
    }

    public MessageType request() {
        return new MessageType(this, MessageClass.REQUEST);
    }

    public MessageType indication() {
        return new MessageType(this, MessageClass.INDICATION);
    }

    public MessageType successResponse() {
        return new MessageType(this, MessageClass.SUCCESS_RESPONSE);
    }

    public MessageType errorResponse() {
        return new MessageType(this, MessageClass.ERROR_RESPONSE);
    }

    @Override
    public String toString() {
        return displayName();
    }
}
