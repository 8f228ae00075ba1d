package io.switchboard.stun;

/**
 * Method and class, interleaved into the 14-bit message type M11-M7 C1 M6-M4 C0 M3-M0 (RFC 8489 §5, Figure 3).
 */
public record MessageType(StunMethod method, MessageClass messageClass) {
    public static final MessageType BINDING_REQUEST = StunMethod.BINDING.request();
    public static final MessageType BINDING_SUCCESS = StunMethod.BINDING.successResponse();
    public static final MessageType BINDING_ERROR = StunMethod.BINDING.errorResponse();
    public static final MessageType BINDING_INDICATION = StunMethod.BINDING.indication();

    public MessageType {
        if (method == null || messageClass == null) {
            throw new IllegalArgumentException("method and class are required");
        }
    }

    /** The 16-bit type field, whose top two bits are always zero. */
    public int code() {
        int m = method.code();
        int c = messageClass.bits();
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0b01) << 4) | ((c & 0b10) << 7);
    }

    /** Splits a type field; the top two bits must be zero. */
    public static MessageType fromCode(int code) {
        if ((code & 0xC000) != 0 || code < 0) {
            throw new IllegalArgumentException("STUN message type must have its two top bits zero: 0x" + Integer.toHexString(code));
        }
        int method = (code & 0x000F) | ((code & 0x00E0) >> 1) | ((code & 0x3E00) >> 2);
        int bits = ((code & 0x0010) >> 4) | ((code & 0x0100) >> 7);
        return new MessageType(StunMethod.of(method), MessageClass.ofBits(bits));
    }

    @Override
    public String toString() {
        return method.displayName() + " " + messageClass.name().toLowerCase().replace('_', ' ');
    }
}
