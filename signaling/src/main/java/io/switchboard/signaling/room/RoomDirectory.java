package io.switchboard.signaling.room;

import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.protocol.ServerMessages;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All rooms and peers of one server: join, leave, relay, detach on a dropped connection, resume within the grace
 * period, and removal of empty rooms.
 *
 * <p>Membership changes of a room and the peer-joined / peer-left messages they cause happen under the room's monitor,
 * so every member sees them in one order; delivery to a peer takes only that peer's monitor, so relaying between two
 * peers never waits on the room. Knows nothing of Netty or JSON parsing.
 */
public final class RoomDirectory {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int PEER_ID_BYTES = 9;
    private static final int RESUME_SECRET_BYTES = 18;

    private final int roomCapacity;
    private final Duration resumeGrace;
    private final int maxBacklogMessages;
    private final long maxBacklogBytes;
    private final Scheduler scheduler;
    private final Listener listener;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();

    /** Observes peers coming and going, for metrics and logs. */
    public interface Listener {
        default void joined(Peer peer) {
        }

        default void resumed(Peer peer) {
        }

        default void resumeFailed(String reason) {
        }

        default void left(Peer peer, String reason) {
        }
    }

    /** Writes the {@code joined} message for {@code self}, seeing {@code others}, once its id is known. */
    @FunctionalInterface
    public interface Welcome {
        byte[] joined(Peer self, List<Peer> others, boolean resumed);
    }

    /** The result of a join or resume: the peer, or the error to answer with. */
    public record Outcome(Peer peer, ErrorCode error, String message) {
        static Outcome ok(Peer peer) {
            return new Outcome(peer, null, null);
        }

        static Outcome refused(ErrorCode error, String message) {
            return new Outcome(null, error, message);
        }

        public boolean succeeded() {
            return peer != null;
        }
    }

    public RoomDirectory(int roomCapacity, Duration resumeGrace, int maxBacklogMessages, long maxBacklogBytes,
                         Scheduler scheduler, Listener listener) {
        this.roomCapacity = roomCapacity;
        this.resumeGrace = resumeGrace;
        this.maxBacklogMessages = maxBacklogMessages;
        this.maxBacklogBytes = maxBacklogBytes;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    /** Adds a new peer reached through {@code link} to {@code roomName}, creating the room if needed. */
    public Outcome join(String roomName, String name, PeerLink link, Welcome welcome) {
        while (true) {
            Room room = rooms.computeIfAbsent(roomName, Room::new);
            synchronized (room) {
                if (room.removed()) {
                    continue; // emptied concurrently; take the fresh one
                }
                if (room.size() >= roomCapacity) {
                    return Outcome.refused(ErrorCode.ROOM_FULL, "room '" + roomName + "' is full (" + roomCapacity + " peers)");
                }
                Peer peer = newPeer(name, room, link);
                List<Peer> others = List.copyOf(room.members());
                link.send(welcome.joined(peer, others, false));
                room.add(peer);
                byte[] announcement = ServerMessages.peerJoined(new ServerMessages.PeerView(peer.id(), peer.name()));
                for (Peer other : others) {
                    deliver(other, announcement);
                }
                listener.joined(peer);
                return Outcome.ok(peer);
            }
        }
    }

    private Peer newPeer(String name, Room room, PeerLink link) {
        while (true) {
            String id = randomToken(PEER_ID_BYTES);
            String token = id + "." + randomToken(RESUME_SECRET_BYTES);
            Peer peer = new Peer(id, name, room, token, link, maxBacklogMessages, maxBacklogBytes);
            if (peers.putIfAbsent(id, peer) == null) {
                return peer;
            }
        }
    }

    /**
     * Moves the peer named by {@code resumeToken} to {@code link}: writes its {@code joined} (with {@code resumed:true})
     * and then the messages it missed. A connection still attached to the peer is closed with session-replaced.
     */
    public Outcome resume(String roomName, String resumeToken, OptionalLong received, PeerLink link, Welcome welcome) {
        Peer peer = peerForToken(resumeToken);
        if (peer == null) {
            listener.resumeFailed("unknown token");
            return Outcome.refused(ErrorCode.RESUME_FAILED, "unknown or expired resume token");
        }
        Room room = peer.room();
        if (!room.name().equals(roomName)) {
            listener.resumeFailed("other room");
            return Outcome.refused(ErrorCode.RESUME_FAILED, "the resume token belongs to another room");
        }
        PeerLink replaced;
        synchronized (room) {
            if (peer.gone()) {
                listener.resumeFailed("peer left");
                return Outcome.refused(ErrorCode.RESUME_FAILED, "unknown or expired resume token");
            }
            List<Peer> others = new ArrayList<>(room.members());
            others.remove(peer);
            try {
                replaced = peer.attach(link, received, () -> welcome.joined(peer, others, true));
            } catch (Peer.ResumeException e) {
                removeLocked(room, peer, "resume-failed");
                listener.resumeFailed("backlog lost");
                return Outcome.refused(ErrorCode.RESUME_FAILED, e.getMessage());
            }
        }
        if (replaced != null && replaced != link) {
            replaced.close(ErrorCode.SESSION_REPLACED, "a resumed connection took over this peer");
        }
        listener.resumed(peer);
        return Outcome.ok(peer);
    }

    private Peer peerForToken(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        Peer peer = peers.get(token.substring(0, dot));
        if (peer == null) {
            return null;
        }
        byte[] expected = peer.resumeToken().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] given = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given) ? peer : null;
    }

    /** The resume token of {@code peer}, for its {@code joined} message. */
    public static String resumeToken(Peer peer) {
        return peer.resumeToken();
    }

    /** The member {@code id} of the sender's room, or {@code null}; O(1). */
    public Peer member(Peer sender, String id) {
        return sender.room().member(id);
    }

    /** Sends or queues {@code frame} to {@code target}; false if the target has left or is leaving. */
    public boolean deliver(Peer target, byte[] frame) {
        Peer.Delivery delivery = target.deliver(frame);
        if (delivery == Peer.Delivery.OVERFLOW) {
            // Leaving takes the room's monitor, which may not be taken inside a peer's: do it on the scheduler.
            scheduler.schedule(Duration.ZERO, () -> leave(target, "backlog-overflow"));
            return false;
        }
        return delivery != Peer.Delivery.GONE;
    }

    /** Removes {@code peer} from its room if {@code link} still reaches it; false if it did not. */
    public boolean leave(Peer peer, PeerLink link, String reason) {
        Room room = peer.room();
        synchronized (room) {
            if (!peer.isLinkedTo(link)) {
                return false;
            }
            removeLocked(room, peer, reason);
            return true;
        }
    }

    /** Removes {@code peer} from its room whatever its connection; nothing if it already left. */
    public void leave(Peer peer, String reason) {
        Room room = peer.room();
        synchronized (room) {
            if (!peer.gone()) {
                removeLocked(room, peer, reason);
            }
        }
    }

    /**
     * Records that {@code link}, through which {@code peer} was reached, dropped: the peer keeps its id and room for
     * the grace period and then leaves unless it resumed. Nothing happens if another link already took over.
     */
    public void disconnected(Peer peer, PeerLink link) {
        long generation = peer.detach(link);
        if (generation < 0) {
            return;
        }
        if (resumeGrace.isZero()) {
            expire(peer, generation);
            return;
        }
        Scheduler.Cancellable task = scheduler.schedule(resumeGrace, () -> expire(peer, generation));
        peer.expireWith(task, generation);
    }

    private void expire(Peer peer, long generation) {
        Room room = peer.room();
        synchronized (room) {
            if (peer.stillDetached(generation)) {
                removeLocked(room, peer, "grace-expired");
            }
        }
    }

    private void removeLocked(Room room, Peer peer, String reason) {
        PeerLink link = peer.markGone();
        room.remove(peer);
        peers.remove(peer.id(), peer);
        if (room.size() == 0) {
            room.markRemoved();
            rooms.remove(room.name(), room);
        } else {
            byte[] frame = ServerMessages.peerLeft(peer.id());
            for (Peer other : room.members()) {
                deliver(other, frame);
            }
        }
        listener.left(peer, reason);
        if (link != null && "resume-failed".equals(reason)) {
            link.close(ErrorCode.RESUME_FAILED, "the peer could not be resumed");
        }
    }

    /** Rooms with at least one peer. */
    public int roomCount() {
        return rooms.size();
    }

    /** Peers in all rooms, connected or within their grace period. */
    public int peerCount() {
        return peers.size();
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return BASE64URL.encodeToString(b);
    }
}
