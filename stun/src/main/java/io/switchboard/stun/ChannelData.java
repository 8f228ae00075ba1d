package io.switchboard.stun;

import java.util.Arrays;

/** One TURN ChannelData message: a channel number and its application data (RFC 8656 §12.4). */
public record ChannelData(int channelNumber, byte[] data) {
    public ChannelData {
        if (!ChannelDataCodec.isValidChannelNumber(channelNumber)) {
            throw new IllegalArgumentException(String.format("channel number must be 0x4000-0x4FFF, got 0x%04x", channelNumber));
        }
        if (data == null || data.length > ChannelDataCodec.MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("ChannelData carries 0-65535 bytes");
        }
        data = data.clone();
    }

    /** A copy of the data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelData && channelNumber == ((ChannelData) o).channelNumber
                && Arrays.equals(data, ((ChannelData) o).data);
    }

    @Override
    public int hashCode() {
        return 31 * channelNumber + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("ChannelData[0x%04x, %d bytes]", channelNumber, data.length);
    }
}
