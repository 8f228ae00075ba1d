package io.switchboard.stun;

import java.nio.ByteBuffer;

/** CHANGE-REQUEST: asks the server to answer from its other IP address (A) and/or other port (B) (RFC 5780 §7.2). */
public record ChangeRequest(boolean changeIp, boolean changePort) implements StunAttribute {
    public static final int LENGTH = 4;
    private static final int CHANGE_IP = 0x04;
    private static final int CHANGE_PORT = 0x02;

    @Override
    public int type() {
        return AttributeType.CHANGE_REQUEST;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putInt((changeIp ? CHANGE_IP : 0) | (changePort ? CHANGE_PORT : 0));
    }

    static ChangeRequest decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        int flags = r.i32();
        return new ChangeRequest((flags & CHANGE_IP) != 0, (flags & CHANGE_PORT) != 0);
    }
}
