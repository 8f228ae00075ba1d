package io.switchboard.stun;

import java.util.HexFormat;

/** Big-endian reads and writes on byte arrays, shared by the codecs. */
final class Bytes {
    private static final HexFormat HEX = HexFormat.of();

    private Bytes() {
    }

    static int getShort(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    static int getInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8) | (b[offset + 3] & 0xFF);
    }

    static void putShort(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }

    static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }
}
