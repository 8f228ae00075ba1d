package io.switchboard.signaling.cluster;

import io.switchboard.signaling.protocol.ClientMessage;
import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.protocol.ServerMessages;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.session.SignalingMetrics;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The room side of one client connection on a clustered node: join, resume, signal and leave go to Redis
 * asynchronously, and every reply of the connection leaves in request order through one {@link ReplyQueue}.
 */
public final class ClusterSession {
    /** Writes the {@code joined} message once the peer's id and room mates are known. */
    @FunctionalInterface
    public interface Welcome {
        byte[] joined(String room, String id, List<ServerMessages.PeerView> peers, String resumeToken, boolean resumed,
                      long received);
    }

    private final ClusterDirectory directory;
    private final PeerLink link;
    private final SignalingMetrics metrics;
    private final Welcome welcome;
    private final ReplyQueue replies;
    private LocalPeer peer;
    private boolean joining;
    private boolean closed;
    private boolean closedWithLeave;
    private String lastPeerId = "-";
    private String lastRoom = "-";

    ClusterSession(ClusterDirectory directory, PeerLink link, SignalingMetrics metrics, Welcome welcome) {
        this.directory = directory;
        this.link = link;
        this.metrics = metrics;
        this.welcome = welcome;
        this.replies = new ReplyQueue(link);
    }

    /** Sends a reply after every earlier one. */
    public void reply(byte[] frame) {
        replies.send(frame);
    }

    /** The peer id this connection carried last, for the session log line. */
    public synchronized String peerId() {
        return lastPeerId;
    }

    /** The room this connection was in last, for the session log line. */
    public synchronized String room() {
        return lastRoom;
    }

    /** Handles a join or resume whose access token, if needed, was already checked. */
    public synchronized void join(ClientMessage.Join join) {
        if (closed) {
            return;
        }
        if (joining) {
            error(ErrorCode.ALREADY_JOINED, "a join is already in progress on this connection", join.requestId());
            return;
        }
        if (peer != null && peer.isLinkedTo(link)) {
            error(ErrorCode.ALREADY_JOINED, "already joined room '" + peer.room() + "' as " + peer.id()
                    + "; leave first", join.requestId());
            return;
        }
        if (!directory.healthy()) {
            // No error message: clients take a refused join for good, but reconnect after a close.
            link.retryLater("this node cannot reach the cluster's Redis; connect again");
            return;
        }
        joining = true;
        ReplyQueue.Slot slot = replies.reserve();
        boolean resume = join.resume().isPresent();
        CompletableFuture<ClusterDirectory.Admission> pending = resume
                ? directory.resume(join.room(), join.resume().get(), join.received(), link)
                : directory.join(join.room(), join.name().orElse(""), link);
        pending.whenComplete((admission, failure) -> admitted(slot, join, resume,
                failure != null ? ClusterDirectory.Admission.unavailable() : admission));
    }

    private void admitted(ReplyQueue.Slot slot, ClientMessage.Join join, boolean resume, ClusterDirectory.Admission admission) {
        LocalPeer admittedPeer = admission.peer();
        synchronized (this) {
            joining = false;
            if (admission.succeeded()) {
                if (closed) {
                    directory.abandon(admittedPeer, link, closedWithLeave);
                    replies.complete(slot, null);
                    return;
                }
                peer = admittedPeer;
                lastPeerId = admittedPeer.id();
                lastRoom = admittedPeer.room();
            }
        }
        if (!admission.succeeded()) {
            if (resume && admission.error() == ErrorCode.RESUME_FAILED) {
                metrics.resumeFailed();
            }
            if (admission.error() == ErrorCode.UNAVAILABLE) {
                replies.complete(slot, () -> link.retryLater(admission.message()));
            } else {
                metrics.error(admission.error());
                replies.complete(slot, () -> link.send(ServerMessages.error(admission.error(), admission.message(),
                        join.requestId())));
            }
            return;
        }
        if (resume) {
            metrics.resumed();
        } else {
            metrics.joined();
        }
        replies.complete(slot, () -> {
            byte[] joined = welcome.joined(admittedPeer.room(), admittedPeer.id(), admission.others(),
                    admittedPeer.resumeToken(), admission.resumed(), admission.accepted());
            admittedPeer.goLive(joined, admission.replay(), admission.delivered());
        });
    }

    /** Relays a signal through Redis (or, during an outage, to a peer of this node). */
    public synchronized void signal(ClientMessage.Signal signal) {
        LocalPeer from = peer;
        if (from == null || joining) {
            error(ErrorCode.NOT_JOINED, "join a room before sending signals", signal.requestId());
            return;
        }
        if (!from.isLinkedTo(link)) {
            peer = null;
            error(ErrorCode.NOT_JOINED, "this connection no longer carries the peer", signal.requestId());
            return;
        }
        byte[] frame = ServerMessages.signal(from.id(), signal.source(), signal.dataStart(), signal.dataEnd());
        ReplyQueue.Slot slot = replies.reserve();
        Optional<String> requestId = signal.requestId();
        String to = signal.to();
        directory.signal(from, to, frame).whenComplete((outcome, failure) -> {
            ClusterDirectory.SignalOutcome result = failure != null ? ClusterDirectory.SignalOutcome.UNAVAILABLE : outcome;
            switch (result) {
                case RELAYED:
                    metrics.relayed();
                    replies.complete(slot, requestId.isPresent() ? () -> link.send(ServerMessages.ack(requestId)) : null);
                    break;
                case UNKNOWN_PEER:
                    metrics.error(ErrorCode.UNKNOWN_PEER);
                    replies.complete(slot, () -> link.send(ServerMessages.unknownPeer(to, requestId)));
                    break;
                case NOT_JOINED:
                    synchronized (this) {
                        if (peer == from) {
                            peer = null;
                        }
                    }
                    metrics.error(ErrorCode.NOT_JOINED);
                    replies.complete(slot, () -> link.send(ServerMessages.error(ErrorCode.NOT_JOINED,
                            "this connection no longer carries the peer", requestId)));
                    break;
                default:
                    metrics.error(ErrorCode.UNAVAILABLE);
                    replies.complete(slot, () -> link.send(ServerMessages.error(ErrorCode.UNAVAILABLE,
                            "this node cannot reach the cluster's Redis; the signal was not relayed (only peers on this "
                                    + "node can be reached now)", requestId)));
                    break;
            }
        });
    }

    /** Leaves the room at once. */
    public synchronized void leave(ClientMessage.Leave leave) {
        LocalPeer current = peer;
        peer = null;
        if (current == null || joining) {
            error(ErrorCode.NOT_JOINED, "not in a room", leave.requestId());
            return;
        }
        ReplyQueue.Slot slot = replies.reserve();
        directory.leave(current, link).whenComplete((left, failure) -> {
            if (failure == null && left) {
                replies.complete(slot, () -> link.send(ServerMessages.left(current.room(), leave.requestId())));
            } else {
                metrics.error(ErrorCode.NOT_JOINED);
                replies.complete(slot, () -> link.send(ServerMessages.error(ErrorCode.NOT_JOINED, "not in a room",
                        leave.requestId())));
            }
        });
    }

    /** The connection ended: with {@code leave} the peer leaves at once, otherwise it enters its grace period. */
    public synchronized void closed(boolean leave) {
        if (closed) {
            return;
        }
        closed = true;
        closedWithLeave = leave;
        LocalPeer current = peer;
        peer = null;
        if (current != null) {
            directory.abandon(current, link, leave);
        }
    }

    private void error(ErrorCode code, String message, Optional<String> requestId) {
        metrics.error(code);
        replies.send(ServerMessages.error(code, message, requestId));
    }
}
