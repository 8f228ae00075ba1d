package io.switchboard.stun;

import java.nio.ByteBuffer;

/**
 * CHANNEL-NUMBER: the channel a ChannelBind binds, then RFFU (RFC 8656 §18.1). Any 16-bit value decodes; whether it is
 * in the TURN range 0x4000-0x4FFF is the server's check ({@link ChannelDataCodec#isValidChannelNumber}).
 */
public record ChannelNumber(int number) implements StunAttribute {
    public static final int LENGTH = 4;

    public ChannelNumber {
        if (number < 0 || number > 0xFFFF) {
            throw new IllegalArgumentException("channel number must be 16 bits, got " + number);
        }
    }

    @Override
    public int type() {
        return AttributeType.CHANNEL_NUMBER;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        out.putShort((short) number);
        out.putShort((short) 0);
    }

    /** Whether the number is one TURN allows for channels (RFC 8656 §12). */
    public boolean isValid() {
        return ChannelDataCodec.isValidChannelNumber(number);
    }

    static ChannelNumber decode(StunReader r) throws StunDecodeException {
        r.requireLength(LENGTH);
        int number = r.u16();
        r.skip(2);
        return new ChannelNumber(number);
    }
}
