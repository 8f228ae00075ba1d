package io.switchboard.signaling.room;

import java.util.function.Consumer;

/**
 * A queue of frames packed into one growable circular byte array, each behind a 4-byte length.
 *
 * <p>A peer's resume backlog lives here instead of as one array per frame, so the frames it keeps cost the garbage
 * collector one object rather than hundreds of survivors to copy and promote. Not thread-safe.
 */
final class FrameRing {
    private static final int HEADER = 4;
    private static final int MIN_CAPACITY = 128;

    private byte[] ring;
    private int head;
    private int used;
    private int count;
    private long payloadBytes;

    /** Frames held. */
    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Sum of the lengths of the frames held, without the ring's own headers. */
    long payloadBytes() {
        return payloadBytes;
    }

    /** Appends a copy of {@code frame}. */
    void addLast(byte[] frame) {
        int needed = used + HEADER + frame.length;
        if (ring == null || needed > ring.length) {
            grow(needed);
        }
        int at = wrap(head + used);
        int n = frame.length;
        for (int shift = 24; shift >= 0; shift -= 8) {
            ring[at] = (byte) (n >>> shift);
            at = wrap(at + 1);
        }
        copyIn(frame, at);
        used += HEADER + n;
        count++;
        payloadBytes += n;
    }

    /** Drops the oldest frame; returns its length. */
    int removeFirst() {
        int n = lengthAt(head);
        head = wrap(head + HEADER + n);
        used -= HEADER + n;
        count--;
        payloadBytes -= n;
        if (count == 0) {
            head = 0;
        }
        return n;
    }

    /** Gives a copy of every frame after the oldest {@code skip}, oldest first. */
    void forEachAfter(long skip, Consumer<byte[]> action) {
        int at = head;
        for (int i = 0; i < count; i++) {
            int n = lengthAt(at);
            if (i >= skip) {
                action.accept(copyOut(wrap(at + HEADER), n));
            }
            at = wrap(at + HEADER + n);
        }
    }

    private int lengthAt(int at) {
        int n = 0;
        for (int i = 0; i < HEADER; i++) {
            n = (n << 8) | (ring[at] & 0xff);
            at = wrap(at + 1);
        }
        return n;
    }

    private void copyIn(byte[] frame, int at) {
        int first = Math.min(frame.length, ring.length - at);
        System.arraycopy(frame, 0, ring, at, first);
        System.arraycopy(frame, first, ring, 0, frame.length - first);
    }

    private byte[] copyOut(int at, int n) {
        byte[] frame = new byte[n];
        int first = Math.min(n, ring.length - at);
        System.arraycopy(ring, at, frame, 0, first);
        System.arraycopy(ring, 0, frame, first, n - first);
        return frame;
    }

    private void grow(int needed) {
        int capacity = ring == null ? MIN_CAPACITY : ring.length;
        while (capacity < needed) {
            capacity = capacity > (1 << 29) ? Integer.MAX_VALUE - 8 : capacity * 2;
        }
        byte[] bigger = new byte[capacity];
        if (ring != null) {
            int first = Math.min(used, ring.length - head);
            System.arraycopy(ring, head, bigger, 0, first);
            System.arraycopy(ring, 0, bigger, first, used - first);
        }
        ring = bigger;
        head = 0;
    }

    private int wrap(int at) {
        return at >= ring.length ? at - ring.length : at;
    }
}
