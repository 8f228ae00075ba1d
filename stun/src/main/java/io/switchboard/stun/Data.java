package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** DATA: the application payload of a Send or Data indication (RFC 8656 §18.4). */
public record Data(byte[] data) implements StunAttribute {

    public Data {
        if (data == null) {
            throw new IllegalArgumentException("DATA value is required");
        }

        data = data.clone();
    }

    /** A copy of the value. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The value's length, without copying it. */
    public int length() {
        return data.length;
    }

    @Override
    public int type() {
        return AttributeType.DATA;
    }

    @Override
    public int valueLength() {
        return data.length;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put(data);
    }

    static Data decode(StunReader r) throws StunDecodeException {

        return new Data(r.rest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Data && Arrays.equals(data, ((Data) o).data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Data[" + Bytes.hex(data) + "]";
    }
}
