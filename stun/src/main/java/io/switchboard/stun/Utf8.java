package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 for the text attributes (RFC 3629): malformed input is refused, never replaced. */
final class Utf8 {
    private Utf8() {
    }

    /** The decoded text, or {@code null} when the bytes are not well-formed UTF-8. */
    static String decode(byte[] b, int offset, int length) {
        if (isAscii(b, offset, length)) {
            // ASCII is well-formed UTF-8 and decodes byte for byte.
            return new String(b, offset, length, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isAscii(byte[] b, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The number of bytes {@code text} takes in UTF-8 (unpaired surrogates count as the one-byte '?'). */
    static int length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Refuses text that cannot round-trip through UTF-8 (unpaired surrogates). */
    static String requireWellFormed(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + ": unpaired surrogate at index " + i);
            }
        }
        return text;
    }

    static byte[] encode(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
