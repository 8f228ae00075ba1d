package io.switchboard.stun;

import java.nio.ByteBuffer;

/**
 * TURN ChannelData framing (RFC 8656 §12.4, §12.5): a 4-byte header (channel number, data length) then the data,
 * padded to 4 bytes over TCP and TLS (required) and optionally over UDP.
 *
 * <p>The static accessors read header fields straight from a byte array or buffer, so the relay's hot path can check
 * and forward a ChannelData datagram without creating any object.
 */
public final class ChannelDataCodec {
    public static final int HEADER_LENGTH = 4;
    /** Channel numbers TURN allows (RFC 8656 §12). */
    public static final int MIN_CHANNEL_NUMBER = 0x4000;
    public static final int MAX_CHANNEL_NUMBER = 0x4FFF;
    /** The length field is 16 bits. */
    public static final int MAX_DATA_LENGTH = 0xFFFF;

    private ChannelDataCodec() {
    }

    public static boolean isValidChannelNumber(int number) {
        return number >= MIN_CHANNEL_NUMBER && number <= MAX_CHANNEL_NUMBER;
    }

    /** Whether a first byte 0x40-0x4F marks ChannelData (RFC 8656 §12, RFC 7983 §7). */
    public static boolean isChannelDataFirstByte(int firstByte) {
        return (firstByte & 0xF0) == 0x40;
    }

    public static int channelNumber(byte[] b, int offset) {
        return Bytes.getShort(b, offset);
    }

    public static int channelNumber(ByteBuffer b, int index) {
        return ((b.get(index) & 0xFF) << 8) | (b.get(index + 1) & 0xFF);
    }

    public static int dataLength(byte[] b, int offset) {
        return Bytes.getShort(b, offset + 2);
    }

    public static int dataLength(ByteBuffer b, int index) {
        return ((b.get(index + 2) & 0xFF) << 8) | (b.get(index + 3) & 0xFF);
    }

    /** The data length rounded up to a multiple of 4. */
    public static int paddedLength(int dataLength) {
        return Bytes.padded(dataLength);
    }

    /**
     * Checks a ChannelData datagram without creating objects and returns its data length; the data starts at
     * {@code offset + 4}. A datagram shorter than its length field is an error (RFC 8656 §12.5), and so is one longer
     * than the length padded to 4.
     */
    public static int checkDatagram(byte[] b, int offset, int length) throws StunDecodeException {
        if (offset < 0 || length < 0 || offset > b.length - length) {
            throw new StunDecodeException("ChannelData: offset " + offset + " and length " + length
                    + " outside a buffer of " + b.length + " bytes");
        }
        if (length < HEADER_LENGTH) {
            throw new StunDecodeException("ChannelData: incomplete header: " + length + " bytes (expected: 4+ bytes)");
        }
        int channel = channelNumber(b, offset);
        if (!isValidChannelNumber(channel)) {
            throw new StunDecodeException(String.format("ChannelData: channel number 0x%04x outside 0x4000-0x4FFF", channel));
        }
        int dataLength = dataLength(b, offset);
        int available = length - HEADER_LENGTH;
        if (dataLength > available) {
            throw new StunDecodeException("ChannelData: length field says " + dataLength + " bytes but the datagram has "
                    + available);
        }
        if (available > paddedLength(dataLength)) {
            throw new StunDecodeException("ChannelData: " + available + " bytes follow the header but length "
                    + dataLength + " allows at most " + paddedLength(dataLength) + " with padding");
        }
        return dataLength;
    }

    /** Decodes a ChannelData datagram (UDP: padding optional). */
    public static ChannelData decodeDatagram(byte[] b, int offset, int length) throws StunDecodeException {
        int dataLength = checkDatagram(b, offset, length);
        byte[] data = new byte[dataLength];
        System.arraycopy(b, offset + HEADER_LENGTH, data, 0, dataLength);
        return new ChannelData(channelNumber(b, offset), data);
    }

    /**
     * Decodes one ChannelData frame cut from a stream by {@link StunStreamFramer}: the padding to 4 bytes must be there
     * (RFC 8656 §12.5).
     */
    public static ChannelData decodeStreamFrame(byte[] b, int offset, int length) throws StunDecodeException {
        ChannelData frame = decodeDatagram(b, offset, length);
        if (length != HEADER_LENGTH + paddedLength(frame.length())) {
            throw new StunDecodeException("ChannelData: over a stream " + frame.length() + " data bytes need "
                    + (HEADER_LENGTH + paddedLength(frame.length())) + " bytes with padding, got " + length);
        }
        return frame;
    }

    /** Writes the 4-byte header; returns the offset just after it. */
    public static int writeHeader(byte[] destination, int offset, int channelNumber, int dataLength) {
        checkHeader(channelNumber, dataLength);
        Bytes.putShort(destination, offset, channelNumber);
        Bytes.putShort(destination, offset + 2, dataLength);
        return offset + HEADER_LENGTH;
    }

    /** Writes the 4-byte header at the buffer's position. */
    public static void writeHeader(ByteBuffer out, int channelNumber, int dataLength) {
        checkHeader(channelNumber, dataLength);
        out.put((byte) (channelNumber >>> 8)).put((byte) channelNumber);
        out.put((byte) (dataLength >>> 8)).put((byte) dataLength);
    }

    /**
     * Writes a whole ChannelData message at the buffer's position, padded with zeros when {@code pad} (required over
     * streams); returns the bytes written.
     */
    public static int encode(int channelNumber, byte[] data, int offset, int length, ByteBuffer out, boolean pad) {
        writeHeader(out, channelNumber, length);
        out.put(data, offset, length);
        int padding = pad ? paddedLength(length) - length : 0;
        for (int i = 0; i < padding; i++) {
            out.put((byte) 0);
        }
        return HEADER_LENGTH + length + padding;
    }

    /** The encoding of one message, padded when {@code pad}. */
    public static byte[] encode(ChannelData message, boolean pad) {
        byte[] data = message.data();
        byte[] out = new byte[HEADER_LENGTH + (pad ? paddedLength(data.length) : data.length)];
        encode(message.channelNumber(), data, 0, data.length, ByteBuffer.wrap(out), pad);
        return out;
    }

    private static void checkHeader(int channelNumber, int dataLength) {
        if (!isValidChannelNumber(channelNumber)) {
            throw new IllegalArgumentException(String.format("channel number must be 0x4000-0x4FFF, got 0x%04x", channelNumber));
        }
        if (dataLength < 0 || dataLength > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("ChannelData carries 0-65535 bytes, got " + dataLength);
        }
    }
}
