package io.switchboard.signaling.cluster;

import io.switchboard.signaling.room.PeerLink;
import java.util.ArrayDeque;

/**
 * Keeps the replies of one connection in the order of the requests when some are answered by Redis later: a reply
 * waits until every earlier request's reply went out, so a {@code pong} still means "everything before was handled".
 */
final class ReplyQueue {
    /** A place in the order, filled when its answer is known. */
    static final class Slot {
        private Runnable action;
        private boolean done;
    }

    private final PeerLink link;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();

    ReplyQueue(PeerLink link) {
        this.link = link;
    }

    /** Sends {@code frame} once every earlier reply went out. */
    synchronized void send(byte[] frame) {
        if (slots.isEmpty()) {
            link.send(frame);
            return;
        }
        Slot slot = new Slot();
        slot.action = () -> link.send(frame);
        slot.done = true;
        slots.addLast(slot);
    }

    /** Reserves the place of a reply that is not known yet. */
    synchronized Slot reserve() {
        Slot slot = new Slot();
        slots.addLast(slot);
        return slot;
    }

    /** Fills {@code slot} with {@code action} (may be null: no reply) and runs every reply now due, in order. */
    synchronized void complete(Slot slot, Runnable action) {
        slot.action = action;
        slot.done = true;
        while (!slots.isEmpty() && slots.peekFirst().done) {
            Runnable next = slots.pollFirst().action;
            if (next != null) {
                next.run();
            }
        }
    }
}
