package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** PADDING: bytes that make a request or response larger, for MTU tests (RFC 5780 §7.7). */
public record Padding(byte[] padding) implements StunAttribute {

    public Padding {
        if (padding == null) {
            throw new IllegalArgumentException("PADDING value is required");
        }

        padding = padding.clone();
    }

    /** A copy of the value. */
    @Override
    public byte[] padding() {
        return padding.clone();
    }

    /** The value's length, without copying it. */
    public int length() {
        return padding.length;
    }

    @Override
    public int type() {
        return AttributeType.PADDING;
    }

    @Override
    public int valueLength() {
        return padding.length;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put(padding);
    }

    static Padding decode(StunReader r) throws StunDecodeException {

        return new Padding(r.rest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Padding && Arrays.equals(padding, ((Padding) o).padding);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(padding);
    }

    @Override
    public String toString() {
        return "Padding[" + Bytes.hex(padding) + "]";
    }
}
