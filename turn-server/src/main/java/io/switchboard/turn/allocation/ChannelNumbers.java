package io.switchboard.turn.allocation;

/**
 * The channel numbers a TURN client may bind. RFC 8656 §12 allows 0x4000 through 0x4FFF; RFC 5766 §11 allowed up to
 * 0x7FFF and clients built on it (coturn's own turnutils_uclient among them) still pick numbers there, so the server
 * accepts the RFC 5766 range: a ChannelData message is anything whose first two bits are 01.
 */
public final class ChannelNumbers {
    public static final int MIN = 0x4000;
    /** The last number RFC 8656 allows. */
    public static final int MAX_RFC8656 = 0x4FFF;
    /** The last number RFC 5766 allowed, accepted for interoperability. */
    public static final int MAX = 0x7FFF;
    public static final int COUNT = MAX - MIN + 1;

    private ChannelNumbers() {
    }

    public static boolean isValid(int number) {
        return number >= MIN && number <= MAX;
    }

    /** Whether the first byte of a packet marks ChannelData (top bits 01, RFC 5766 §11.6 and RFC 8656 §12). */
    public static boolean isChannelDataFirstByte(int firstByte) {
        return (firstByte & 0xC0) == 0x40;
    }
}
