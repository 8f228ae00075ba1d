package io.switchboard.stun;

import java.nio.ByteBuffer;

/** RESERVATION-TOKEN: names a relayed address reserved by an earlier EVEN-PORT allocation (RFC 8656 §18.9). */
public record ReservationToken(long token) implements StunAttribute {
    public static final int LENGTH = 8;

    @Override
    public int type() {
        return AttributeType.RESERVATION_TOKEN;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putLong(token);
    }

    static ReservationToken decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new ReservationToken(r.i64());
    }
}
