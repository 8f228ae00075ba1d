package io.switchboard.stun;

import java.nio.ByteBuffer;

/**
 * ADDITIONAL-ADDRESS-FAMILY: asks for a second relayed address, which must be IPv6 (RFC 8656 §18.11). Any family byte decodes, so that the server can answer an unsupported one with the error code its RFC names.
 */
public record AdditionalAddressFamily(int family) implements StunAttribute {
    public static final int LENGTH = 4;
    public static final int IPV4 = 0x01;
    public static final int IPV6 = 0x02;

    public AdditionalAddressFamily {
        if (family < 0 || family > 0xFF) {
            throw new IllegalArgumentException("address family must be one byte, got " + family);
        }
    }

    @Override
    public int type() {
        return AttributeType.ADDITIONAL_ADDRESS_FAMILY;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put((byte) family);
        out.put((byte) 0);
        out.putShort((short) 0);
    }

    static AdditionalAddressFamily decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        int family = r.u8();
        r.skip(3);
        return new AdditionalAddressFamily(family);
    }
}
