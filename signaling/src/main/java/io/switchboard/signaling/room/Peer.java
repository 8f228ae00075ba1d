package io.switchboard.signaling.room;

import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * A member of a room, with the connection it is reached through and the backlog that makes resume lossless.
 *
 * <p>Every message delivered to the peer (signal, peer-joined, peer-left) gets the next sequence number. The peer
 * keeps the most recent ones (bounded by count and bytes) while connected, so a client that resumes after an abrupt
 * drop can say how many it received and get the rest, and keeps every one queued while detached. Guarded by
 * {@code this}; the room's monitor, when held as well, is always taken first.
 */
public final class Peer {
    /** What {@link #deliver} did with a message. */
    enum Delivery { SENT, QUEUED, OVERFLOW, GONE }

    private final String id;
    private final String name;
    private final Room room;
    private final String resumeToken;
    private final int maxBacklogMessages;
    private final long maxBacklogBytes;

    private PeerLink link;
    private FrameRing backlog;
    /** Sequence number of the first message in the backlog. */
    private long firstRetained = 1;
    /** Messages delivered so far, which is also the sequence number of the last one. */
    private long delivered;
    /** Sequence number of the last message written to a link. */
    private long sent;
    /** Signals accepted from this peer, over all its connections. */
    private long signalsAccepted;
    private boolean gone;
    private boolean overflowed;
    private long detachGeneration;
    private Scheduler.Cancellable expiry;

    Peer(String id, String name, Room room, String resumeToken, PeerLink link, int maxBacklogMessages, long maxBacklogBytes) {
        this.id = id;
        this.name = name;
        this.room = room;
        this.resumeToken = resumeToken;
        this.link = link;
        this.maxBacklogMessages = maxBacklogMessages;
        this.maxBacklogBytes = maxBacklogBytes;
    }

    public String id() {
        return id;
    }

    /** The display name, empty when none was given. */
    public String name() {
        return name;
    }

    public Room room() {
        return room;
    }

    String resumeToken() {
        return resumeToken;
    }

    /** Whether {@code candidate} is the connection this peer is currently reached through. */
    public synchronized boolean isLinkedTo(PeerLink candidate) {
        return link == candidate && !gone;
    }

    /**
     * Counts a signal sent by this peer through {@code from}; false (and not counted) when {@code from} no longer
     * carries the peer, so a replaced connection cannot slip messages in after a resume.
     */
    public synchronized boolean acceptSignal(PeerLink from) {
        if (gone || link != from) {
            return false;
        }
        signalsAccepted++;
        return true;
    }

    /** Signals accepted from this peer so far (sent back as {@code joined.received} on resume). */
    public synchronized long signalsAccepted() {
        return signalsAccepted;
    }

    synchronized boolean gone() {
        return gone;
    }

    /** Sends or queues {@code frame} as the next message to this peer. */
    synchronized Delivery deliver(byte[] frame) {
        if (gone) {
            return Delivery.GONE;
        }
        if (overflowed) {
            return Delivery.OVERFLOW;
        }
        if (backlog == null) {
            backlog = new FrameRing();
        }
        delivered++;
        backlog.addLast(frame);
        if (link != null) {
            link.send(frame);
            sent = delivered;
            trim(delivered);
            return Delivery.SENT;
        }
        trim(sent);
        if (backlog.size() > maxBacklogMessages || backlog.payloadBytes() > maxBacklogBytes) {
            overflowed = true;
            backlog = null;
            return Delivery.OVERFLOW;
        }
        return Delivery.QUEUED;
    }

    /** Drops the oldest messages up to sequence number {@code upTo} while the backlog is over its bounds. */
    private void trim(long upTo) {
        while (firstRetained <= upTo && !backlog.isEmpty()
                && (backlog.size() > maxBacklogMessages || backlog.payloadBytes() > maxBacklogBytes)) {
            backlog.removeFirst();
            firstRetained++;
        }
    }

    /** Forgets the connection if it is still {@code from}; returns the detach generation, or -1 if it was not. */
    synchronized long detach(PeerLink from) {
        if (gone || link != from) {
            return -1;
        }
        link = null;
        return ++detachGeneration;
    }

    synchronized void expireWith(Scheduler.Cancellable task, long generation) {
        if (generation == detachGeneration && link == null && !gone) {
            expiry = task;
        } else {
            task.cancel();
        }
    }

    /** Whether the peer is still detached since the detach that produced {@code generation}. */
    synchronized boolean stillDetached(long generation) {
        return !gone && link == null && generation == detachGeneration;
    }

    /**
     * Moves the peer to {@code to}: writes the {@code welcome} made while no signal from the peer can be counted, then every message after the first {@code received}
     * (all messages not yet written to a link when absent). Returns the replaced link, or {@code null} if there was
     * none; throws when the messages to replay are no longer all kept.
     */
    synchronized PeerLink attach(PeerLink to, OptionalLong received, Supplier<byte[]> welcome) throws ResumeException {
        if (gone || overflowed) {
            throw new ResumeException("the peer has left");
        }
        long from = received.isPresent() ? received.getAsLong() + 1 : sent + 1;
        if (from > delivered + 1) {
            throw new ResumeException("received " + received.getAsLong() + " messages but only " + delivered + " were sent");
        }
        if (from < firstRetained) {
            throw new ResumeException("messages after " + (from - 1) + " are no longer kept");
        }
        PeerLink old = link;
        link = to;
        detachGeneration++;
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
        to.send(welcome.get());
        if (backlog != null) {
            backlog.forEachAfter(from - firstRetained, to::send);
            sent = delivered;
            trim(delivered);
        }
        return old;
    }

    /** Marks the peer as left; returns its link, or {@code null} when it had none. */
    synchronized PeerLink markGone() {
        gone = true;
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
        backlog = null;
        PeerLink old = link;
        link = null;
        return old;
    }

    /** Number of messages delivered to this peer since it joined. */
    public synchronized long delivered() {
        return delivered;
    }

    @Override
    public String toString() {
        return "Peer[" + id + " in " + room.name() + "]";
    }

    /** Resume is not possible for this peer any more. */
    static final class ResumeException extends Exception {
        private static final long serialVersionUID = 1L;

        ResumeException(String message) {
            super(message, null, false, false);
        }
    }
}
