package io.switchboard.signaling.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A message on a node's Pub/Sub channel {@code sb:chan:<node>}, as the Lua scripts publish it: one letter, the peer
 * id, a space, a number, and for a delivery a space and the message to write.
 */
sealed interface NodeMessage {

    /** {@code D<peer> <seq> <message>}: delivery number {@code seq} for {@code peer}, exactly as the client gets it. */
    record Delivery(String peer, long seq, byte[] frame) implements NodeMessage {
    }

    /** {@code R<peer> <epoch>}: the peer resumed elsewhere with {@code epoch}; older connections must close. */
    record Replaced(String peer, long epoch) implements NodeMessage {
    }

    /** {@code X<peer> <epoch>}: the peer was removed after a failed resume; its connection of {@code epoch} closes. */
    record Removed(String peer, long epoch) implements NodeMessage {
    }

    /** Reads {@code bytes}; empty when they are not one of the three forms. */
    static Optional<NodeMessage> parse(byte[] bytes) {
        if (bytes.length < 4) {
            return Optional.empty();
        }
        int idEnd = indexOfSpace(bytes, 1);
        if (idEnd <= 1) {
            return Optional.empty();
        }
        String peer = new String(bytes, 1, idEnd - 1, StandardCharsets.US_ASCII);
        int numberEnd = indexOfSpace(bytes, idEnd + 1);
        long number = digits(bytes, idEnd + 1, numberEnd < 0 ? bytes.length : numberEnd);
        if (number < 0) {
            return Optional.empty();
        }
        switch (bytes[0]) {
            case 'D':
                return numberEnd < 0 ? Optional.empty()
                        : Optional.of(new Delivery(peer, number, Arrays.copyOfRange(bytes, numberEnd + 1, bytes.length)));
            case 'R':
                return Optional.of(new Replaced(peer, number));
            case 'X':
                return Optional.of(new Removed(peer, number));
            default:
                return Optional.empty();
        }
    }

    private static int indexOfSpace(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    /** The decimal number in {@code bytes[from, to)}, or -1 when it is empty, not all digits or too long. */
    private static long digits(byte[] bytes, int from, int to) {
        if (to <= from || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
