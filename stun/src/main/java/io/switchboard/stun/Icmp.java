package io.switchboard.stun;

import java.nio.ByteBuffer;

/**
 * ICMP: the ICMP type, code and error data a TURN server forwards to its client in a Data indication
 * (RFC 8656 §18.13). The figure gives the last two of the first four bytes to type and code; they are read here as
 * one byte each, the width of those fields in ICMP itself.
 */
public record Icmp(int icmpType, int icmpCode, int errorData) implements StunAttribute {
    public static final int LENGTH = 8;

    public Icmp {
        if (icmpType < 0 || icmpType > 0xFF || icmpCode < 0 || icmpCode > 0xFF) {
            throw new IllegalArgumentException("ICMP type and code are one byte each, got " + icmpType + "/" + icmpCode);
        }
    }

    @Override
    public int type() {
        return AttributeType.ICMP;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putShort((short) 0);
        out.put((byte) icmpType);
        out.put((byte) icmpCode);
        out.putInt(errorData);
    }

    static Icmp decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        r.skip(2);
        int icmpType = r.u8();
        int icmpCode = r.u8();
        return new Icmp(icmpType, icmpCode, r.i32());
    }
}
