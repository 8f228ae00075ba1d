package io.switchboard.signaling.cluster;

import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.room.PeerLink;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A peer whose connection is on this node, as this node sees it. Redis numbers every delivery to a peer; this node
 * writes them to the connection strictly in that order: early ones wait, and a gap (a Pub/Sub message lost with the
 * connection to Redis) is filled from the peer's inbox stream before anything after it is written.
 *
 * <p>While Redis is unreachable, signals between peers of this node are still written, numbered after the last
 * delivery from Redis and kept in an outage log; when Redis is back, the node hands the log to Redis
 * ({@code reclaim.lua}) so that the numbering the client counted stays the numbering a resume replays. Guarded by
 * {@code this}.
 */
final class LocalPeer {
    /** Where the peer stands on this node. */
    enum Mode {
        /** Join or resume sent to Redis; deliveries wait until {@code joined} is written. */
        PENDING,
        /** Connected here; deliveries are written as they come. */
        LIVE,
        /** The connection dropped while Redis was unreachable; Redis learns it at recovery. */
        DROPPED,
        /** Left, taken over, or handed to Redis as detached: this node no longer speaks for the peer. */
        GONE
    }

    /** One numbered delivery. */
    record Delivery(long seq, byte[] frame) {
    }

    /** Asks for deliveries {@code from..to} of a peer from its inbox stream. */
    @FunctionalInterface
    interface GapFiller {
        void fill(LocalPeer peer, long from, long to);
    }

    /** What recovery sends to Redis for this peer ({@code reclaim.lua}). */
    record Reclaim(long epoch, long order, long base, List<byte[]> frames, boolean connected, long droppedNanos,
                   long accepted, long acceptedDuringOutage, long sent) {
    }

    private final String id;
    private final String room;
    private final String resumeToken;
    private final GapFiller gaps;
    private final int maxEarly;

    private Mode mode = Mode.PENDING;
    private String name;
    private PeerLink link;
    private long epoch;
    private long order;
    /** Deliveries the client has been given: the count it sends as {@code received} when it resumes. */
    private long lastSeq;
    private long reportedSeq;
    private long sentAtDrop;
    private long droppedNanos;
    private long accepted;
    private TreeMap<Long, byte[]> early;
    private boolean fetching;
    private boolean reclaiming;
    private ArrayList<byte[]> outage;
    private long outageBase;
    private long outageAccepted;

    LocalPeer(String id, String room, String name, String resumeToken, PeerLink link, GapFiller gaps, int maxEarly) {
        this.id = id;
        this.room = room;
        this.name = name;
        this.resumeToken = resumeToken;
        this.link = link;
        this.gaps = gaps;
        this.maxEarly = maxEarly;
    }

    String id() {
        return id;
    }

    String room() {
        return room;
    }

    synchronized String name() {
        return name;
    }

    String resumeToken() {
        return resumeToken;
    }

    synchronized long epoch() {
        return epoch;
    }

    synchronized Mode mode() {
        return mode;
    }

    synchronized boolean isGone() {
        return mode == Mode.GONE;
    }

    /** Whether {@code candidate} is the connection through which this node reaches the peer. */
    synchronized boolean isLinkedTo(PeerLink candidate) {
        return link == candidate && (mode == Mode.LIVE || mode == Mode.PENDING);
    }

    synchronized long accepted() {
        return accepted;
    }

    /**
     * Records what Redis answered to the join or resume, before {@code joined} is written; an empty {@code knownName}
     * keeps the name given at construction.
     */
    synchronized void admitted(long newEpoch, long joinOrder, String knownName, long acceptedSoFar, long receivedByClient) {
        if (!knownName.isEmpty()) {
            name = knownName;
        }
        epoch = newEpoch;
        order = joinOrder;
        accepted = acceptedSoFar;
        lastSeq = receivedByClient;
        reportedSeq = receivedByClient;
    }

    /** A signal from this peer was accepted by Redis. */
    synchronized void acceptedOne() {
        accepted++;
    }

    /**
     * Writes {@code joined}, then the replayed deliveries (numbered up to {@code delivered}), then whatever arrived
     * meanwhile; false when the peer went away first.
     */
    synchronized boolean goLive(byte[] joined, List<Delivery> replay, long delivered) {
        if (mode != Mode.PENDING) {
            return false;
        }
        link.send(joined);
        for (Delivery d : replay) {
            link.send(d.frame());
        }
        lastSeq = Math.max(lastSeq, delivered);
        mode = Mode.LIVE;
        drain();
        return true;
    }

    /** Delivery {@code seq} arrived from Redis Pub/Sub. */
    synchronized void deliver(long seq, byte[] frame) {
        if (mode == Mode.GONE || mode == Mode.DROPPED) {
            return;
        }
        if (mode == Mode.PENDING || reclaiming) {
            hold(seq, frame);
            return;
        }
        if (outage != null || seq <= lastSeq) {
            return; // during an outage Redis hands these over at recovery; otherwise a duplicate
        }
        if (seq == lastSeq + 1 && (early == null || early.isEmpty())) {
            link.send(frame);
            lastSeq = seq;
            return;
        }
        hold(seq, frame);
        drain();
    }

    private void hold(long seq, byte[] frame) {
        if (early == null) {
            early = new TreeMap<>();
        }
        early.put(seq, frame);
        if (early.size() > maxEarly && mode == Mode.LIVE) {
            lost("more than " + maxEarly + " deliveries wait for a gap to be filled");
        }
    }

    /** Writes held deliveries that are next in line; asks for a gap to be filled when one blocks the rest. */
    private void drain() {
        if (early == null || mode != Mode.LIVE) {
            return;
        }
        Iterator<Map.Entry<Long, byte[]>> it = early.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, byte[]> next = it.next();
            long seq = next.getKey();
            if (seq <= lastSeq) {
                it.remove();
            } else if (seq == lastSeq + 1) {
                link.send(next.getValue());
                lastSeq = seq;
                it.remove();
            } else {
                break;
            }
        }
        if (!early.isEmpty() && !fetching) {
            fetching = true;
            long from = lastSeq + 1;
            long to = early.firstKey() - 1;
            gaps.fill(this, from, to);
        }
    }

    /** The deliveries asked for by {@link GapFiller#fill} arrived ({@code null} if the read failed). */
    void filled(long from, long to, List<Delivery> found) {
        synchronized (this) {
            fetching = false;
            if (mode != Mode.LIVE || reclaiming) {
                return;
            }
            if (found == null) {
                return; // asked again by the next delivery, or settled by recovery
            }
            for (Delivery d : found) {
                if (d.seq() == lastSeq + 1) {
                    link.send(d.frame());
                    lastSeq = d.seq();
                }
            }
            if (lastSeq < to) {
                lost("deliveries " + from + "-" + to + " are no longer kept in Redis");
                return;
            }
            drain();
        }
    }

    private void lost(String why) {
        mode = Mode.GONE;
        early = null;
        PeerLink l = link;
        link = null;
        l.close(ErrorCode.RESUME_FAILED, "messages to this peer were lost (" + why + "); join again");
    }

    /**
     * Takes a signal from another peer of this node while Redis is unreachable; false when the peer cannot take it
     * (not here, or its outage log is full).
     */
    synchronized boolean deliverDuringOutage(byte[] frame, int maxLog) {
        if (mode != Mode.LIVE && mode != Mode.DROPPED) {
            return false;
        }
        if (outage == null) {
            outage = new ArrayList<>();
            outageBase = lastSeq;
        }
        if (outage.size() >= maxLog) {
            return false;
        }
        outage.add(frame);
        lastSeq++;
        if (mode == Mode.LIVE) {
            link.send(frame);
        }
        return true;
    }

    /** A signal from this peer was relayed on this node while Redis was unreachable. */
    synchronized void acceptedDuringOutage() {
        accepted++;
        outageAccepted++;
    }

    /**
     * The connection {@code from} dropped. Returns the number of deliveries written to it, or -1 when {@code from}
     * no longer carried the peer. During an outage the peer stays here as {@link Mode#DROPPED}.
     */
    synchronized long drop(PeerLink from, boolean outageNow) {
        if (link != from || (mode != Mode.LIVE && mode != Mode.PENDING)) {
            return -1;
        }
        link = null;
        sentAtDrop = mode == Mode.LIVE ? lastSeq : 0;
        if (outageNow && mode == Mode.LIVE) {
            mode = Mode.DROPPED;
            droppedNanos = System.nanoTime();
        } else {
            mode = Mode.GONE;
        }
        return sentAtDrop;
    }

    /** Marks the peer gone here; returns the connection it had, if any. */
    synchronized PeerLink markGone() {
        mode = Mode.GONE;
        early = null;
        outage = null;
        PeerLink old = link;
        link = null;
        return old;
    }

    /** Closes the connection with {@code code} if the peer's epoch is still at most {@code upTo}. */
    void closeIfEpochAtMost(long upTo, ErrorCode code, String message) {
        PeerLink old;
        synchronized (this) {
            if (epoch > upTo || mode == Mode.GONE) {
                return;
            }
            old = markGone();
        }
        if (old != null) {
            old.close(code, message);
        }
    }

    /** Starts handing this peer to Redis after an outage; null when there is nothing to hand over. */
    synchronized Reclaim beginReclaim() {
        if (mode != Mode.LIVE && mode != Mode.DROPPED) {
            return null;
        }
        reclaiming = true;
        List<byte[]> frames = outage == null ? List.of() : List.copyOf(outage);
        long base = outage == null ? lastSeq : outageBase;
        boolean connected = mode == Mode.LIVE;
        return new Reclaim(epoch, order, base, frames, connected, droppedNanos, accepted, outageAccepted,
                connected ? lastSeq : sentAtDrop);
    }

    /**
     * Redis took the peer back: writes the deliveries it had not got ({@code remote}, up to {@code delivered}) in order
     * with those that came through Pub/Sub meanwhile. A dropped peer is then Redis's alone.
     */
    synchronized void endReclaim(long delivered, List<Delivery> remote, boolean handedAsConnected) {
        reclaiming = false;
        outage = null;
        outageAccepted = 0;
        reportedSeq = 0;
        if (mode == Mode.DROPPED) {
            if (!handedAsConnected) {
                mode = Mode.GONE; // Redis has it as dropped now
            }
            return; // dropped after it was handed over as connected: recovery detaches it next
        }
        if (mode != Mode.LIVE) {
            return;
        }
        for (Delivery d : remote) {
            if (d.seq() > lastSeq) {
                hold(d.seq(), d.frame());
            }
        }
        drain();
    }

    /** Recovery failed for this peer; it is handed over again at the next attempt. */
    synchronized void abortReclaim() {
        reclaiming = false;
    }

    /** The count to report as written, or -1 when nothing changed since the last report. */
    synchronized long sentToReport() {
        if (mode != Mode.LIVE || outage != null || lastSeq == reportedSeq) {
            return -1;
        }
        reportedSeq = lastSeq;
        return lastSeq;
    }

    @Override
    public String toString() {
        return "LocalPeer[" + id + " in " + room + "]";
    }
}
