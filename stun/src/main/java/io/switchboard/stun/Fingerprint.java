package io.switchboard.stun;

import java.nio.ByteBuffer;

/** FINGERPRINT: CRC-32 of the message up to this attribute, XOR 0x5354554e (RFC 8489 §14.7); verified with {@link #verify}. */
public record Fingerprint(int crc) implements StunAttribute {
    public static final int LENGTH = 4;
    /** XOR-ed over the CRC-32 so that STUN cannot be mistaken for another protocol's checksum (RFC 8489 §14.7). */
    public static final int XOR = 0x5354554e;

    @Override
    public int type() {
        return AttributeType.FINGERPRINT;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putInt(crc);
    }

    /** Whether the message carries a FINGERPRINT and it matches its bytes (RFC 8489 §14.7). */
    public static boolean verify(StunMessage message) {
        int offset = message.offsetOf(AttributeType.FINGERPRINT);
        if (offset < 0) {
            return false;
        }
        return message.attribute(Fingerprint.class).orElseThrow().crc() == IntegrityCodec.fingerprint(message.raw(), offset);
    }

    static Fingerprint decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        return new Fingerprint(r.i32());
    }
}
