package io.switchboard.stun;

/**
 * A bounded reader over one message or one attribute value: every read is checked against the bound, so a decoder
 * can never read past the current attribute and no {@link IndexOutOfBoundsException} can escape.
 */
final class StunReader {
    private final byte[] buffer;
    private final int end;
    private final String where;
    private int position;

    StunReader(byte[] buffer, int offset, int length, String where) {
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
        this.where = where;
    }

    String where() {
        return where;
    }

    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    byte[] array() {
        return buffer;
    }

    StunDecodeException error(String what) {
        return new StunDecodeException(where + ": " + what);
    }

    /** The one place where an attribute's value length is checked against what its RFC allows. */
    void requireLength(int expected) throws StunDecodeException {
        if (remaining() != expected) {
            throw error("got " + remaining() + " bytes, expected " + expected);
        }
    }

    void requireLength(int expected, int orExpected) throws StunDecodeException {
        if (remaining() != expected && remaining() != orExpected) {
            throw error("got " + remaining() + " bytes, expected " + expected + " or " + orExpected);
        }
    }

    void requireLengthBetween(int min, int max) throws StunDecodeException {
        if (remaining() < min || remaining() > max) {
            throw error("got " + remaining() + " bytes, expected " + min + " to " + max);
        }
    }

    void requireAtMost(int max) throws StunDecodeException {
        if (remaining() > max) {
            throw error("got " + remaining() + " bytes, expected at most " + max);
        }
    }

    private void need(int n) throws StunDecodeException {
        if (n < 0 || remaining() < n) {
            throw error("truncated: needed " + n + " more bytes, " + remaining() + " left");
        }
    }

    int u8() throws StunDecodeException {
        need(1);
        return buffer[position++] & 0xFF;
    }

    int u16() throws StunDecodeException {
        need(2);
        int value = ((buffer[position] & 0xFF) << 8) | (buffer[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    int i32() throws StunDecodeException {
        need(4);
        int value = Bytes.getInt(buffer, position);
        position += 4;
        return value;
    }

    long u32() throws StunDecodeException {
        return i32() & 0xFFFF_FFFFL;
    }

    long i64() throws StunDecodeException {
        long high = u32();
        long low = u32();
        return (high << 32) | low;
    }

    byte[] bytes(int n) throws StunDecodeException {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(buffer, position, out, 0, n);
        position += n;
        return out;
    }

    byte[] rest() throws StunDecodeException {
        return bytes(remaining());
    }

    void skip(int n) throws StunDecodeException {
        need(n);
        position += n;
    }

    /** A reader over the next {@code n} bytes, which this reader then skips. */
    StunReader slice(int n, String sliceWhere) throws StunDecodeException {
        need(n);
        StunReader slice = new StunReader(buffer, position, n, sliceWhere);
        position += n;
        return slice;
    }

    /** The rest as strict UTF-8: malformed sequences are an error, never replaced. */
    String utf8() throws StunDecodeException {
        int n = remaining();
        String text = Utf8.decode(buffer, position, n);
        if (text == null) {
            throw error("invalid UTF-8");
        }
        position += n;
        return text;
    }
}
