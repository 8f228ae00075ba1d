package io.switchboard.stun;

import java.nio.ByteBuffer;

/** EVEN-PORT: asks for an even relayed port, and with R set to reserve the next one too (RFC 8656 §18.7). */
public record EvenPort(boolean reserveNextPort) implements StunAttribute {
    public static final int LENGTH = 1;

    @Override
    public int type() {
        return AttributeType.EVEN_PORT;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put((byte) (reserveNextPort ? 0x80 : 0));
    }

    static EvenPort decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new EvenPort((r.u8() & 0x80) != 0);
    }
}
