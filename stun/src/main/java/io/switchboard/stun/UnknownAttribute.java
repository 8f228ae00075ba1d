package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** An attribute this library does not know, kept with its value intact so that it re-encodes byte for byte. */
public record UnknownAttribute(int type, byte[] value) implements StunAttribute {
    public UnknownAttribute {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("attribute type must be 16 bits, got " + type);
        }
        if (value == null || value.length > 0xFFFF) {
            throw new IllegalArgumentException("attribute value must be 0-65535 bytes");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public int valueLength() {
        return value.length;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownAttribute && type == ((UnknownAttribute) o).type
                && Arrays.equals(value, ((UnknownAttribute) o).value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UnknownAttribute[" + AttributeType.name(type) + "=" + Bytes.hex(value) + "]";
    }
}
