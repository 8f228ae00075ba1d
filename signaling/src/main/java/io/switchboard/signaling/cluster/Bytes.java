package io.switchboard.signaling.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Conversions between Java values and the byte strings Redis speaks. */
final class Bytes {
    private Bytes() {
    }

    static byte[] of(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] of(long number) {
        return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
    }

    static String text(Object reply) {
        return reply instanceof byte[] ? new String((byte[]) reply, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    static long number(Object reply) {
        if (reply instanceof Long) {
            return (Long) reply;
        }
        return Long.parseLong(text(reply));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }
}
