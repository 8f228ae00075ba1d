package io.switchboard.stun;

import java.nio.ByteBuffer;

/** ADDRESS-ERROR-CODE: why the server could not allocate a relayed address of one family (RFC 8656 §18.12). */
public record AddressErrorCode(int family, int code, String reason) implements StunAttribute {
    public static final int MAX_REASON_LENGTH = ErrorCode.MAX_REASON_LENGTH;

    public AddressErrorCode {
        if (family < 0 || family > 0xFF) {
            throw new IllegalArgumentException("address family must be one byte, got " + family);
        }
        new ErrorCode(code, reason); // the same rules as ERROR-CODE
    }

    @Override
    public int type() {
        return AttributeType.ADDRESS_ERROR_CODE;
    }

    @Override
    public int valueLength() {
        return 4 + Utf8.length(reason);
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.put((byte) family);
        out.put((byte) 0);
        out.put((byte) (code / 100));
        out.put((byte) (code % 100));
        out.put(Utf8.encode(reason));
    }

    static AddressErrorCode decode(StunReader r) throws StunDecodeException {
        r.requireLengthBetween(4, 4 + MAX_REASON_LENGTH);
        int family = r.u8();
        r.skip(1);
        int code = ErrorCode.readCode(r);
        return new AddressErrorCode(family, code, r.utf8());
    }
}
