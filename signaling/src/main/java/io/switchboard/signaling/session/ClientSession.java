package io.switchboard.signaling.session;

import io.switchboard.signaling.IceServer;
import io.switchboard.signaling.cluster.ClusterSession;
import io.switchboard.signaling.protocol.ClientMessage;
import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.protocol.ProtocolException;
import io.switchboard.signaling.protocol.ServerMessages;
import io.switchboard.signaling.room.Peer;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.room.RoomDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection speaking signaling protocol v1, whatever its transport: rate and abuse limits, decoding,
 * and dispatch to the {@link RoomDirectory}, or on a clustered node to its {@link ClusterSession}. Calls are
 * serialized by the session's monitor.
 */
public final class ClientSession {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    private final SessionContext context;
    private final SignalingMetrics.Transport transport;
    private final PeerLink link;
    private final String remote;
    private final TokenBucket rate;
    /** Made at the first abusive message: a bucket starts full, so making it later changes nothing. */
    private TokenBucket abuse;
    private final long startNanos;
    /** The room side on a clustered node; null on a standalone one. */
    private final ClusterSession cluster;
    private Peer peer;
    private boolean closing;
    private boolean ended;

    public ClientSession(SessionContext context, SignalingMetrics.Transport transport, PeerLink link, String remote) {
        this.context = context;
        this.transport = transport;
        this.link = link;
        this.remote = remote;
        long now = System.nanoTime();
        this.startNanos = now;
        this.rate = new TokenBucket(context.config().messageBurst(), context.config().messageRate(), now);
        this.cluster = context.cluster().map(c -> c.session(link, this::clusterWelcome)).orElse(null);
        context.metrics().connectionOpened(transport);
        LOG.info("signaling session start transport={} remote={}", transport.tag(), remote);
    }

    /** Handles one complete text message. */
    public synchronized void onText(byte[] json) {
        if (closing || !admit()) {
            return;
        }
        ClientMessage message;
        try {
            message = context.decoder().decode(json);
        } catch (ProtocolException e) {
            error(e.code(), e.getMessage(), e.requestId());
            return;
        }
        try {
            dispatch(message);
        } catch (RuntimeException e) {
            LOG.warn("signaling session transport={} remote={}: failed to handle a {} message", transport.tag(), remote,
                    message.getClass().getSimpleName(), e);
            error(ErrorCode.INTERNAL_ERROR, "the server failed to handle the message", message.requestId());
        }
    }

    /** A message of {@code size} bytes above the limit arrived and was discarded. */
    public synchronized void onTooLarge(long size) {
        if (closing || !admit()) {
            return;
        }
        error(ErrorCode.TOO_LARGE, "message of " + size + " bytes exceeds the limit of "
                + context.config().maxMessageBytes() + " bytes", Optional.empty());
    }

    /** A binary message arrived; the protocol is text only. */
    public void onBinary() {
        onUnreadable("binary frames are not supported; send JSON text frames");
    }

    /** A message arrived that cannot be read as text at all, for the reason {@code problem}. */
    public synchronized void onUnreadable(String problem) {
        if (closing || !admit()) {
            return;
        }
        error(ErrorCode.BAD_MESSAGE, problem, Optional.empty());
    }

    /**
     * The connection ended. A peer whose client said goodbye ({@code leave} is true) leaves at once; a dropped one
     * keeps its id and room for the resume grace period.
     */
    public synchronized void onClosed(boolean leave, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        closing = true;
        String peerId = "-";
        String room = "-";
        if (cluster != null) {
            cluster.closed(leave);
            peerId = cluster.peerId();
            room = cluster.room();
        } else if (peer != null) {
            peerId = peer.id();
            room = peer.room().name();
            if (leave) {
                context.directory().leave(peer, link, "closed");
            } else {
                context.directory().disconnected(peer, link);
            }
            peer = null;
        }
        context.metrics().connectionClosed(transport);
        LOG.info("signaling session end transport={} remote={} peer={} room={} reason={} duration={}ms", transport.tag(),
                remote, peerId, room, reason, (System.nanoTime() - startNanos) / 1_000_000);
    }

    private boolean admit() {
        if (rate.tryTake(System.nanoTime())) {
            return true;
        }
        error(ErrorCode.RATE_LIMITED, "more than " + context.config().messageRate()
                + " messages per second; message dropped", Optional.empty());
        return false;
    }

    private void dispatch(ClientMessage message) {
        if (message instanceof ClientMessage.Signal) {
            signal((ClientMessage.Signal) message);
        } else if (message instanceof ClientMessage.Join) {
            join((ClientMessage.Join) message);
        } else if (message instanceof ClientMessage.Ping) {
            reply(ServerMessages.pong(message.requestId()));
        } else if (message instanceof ClientMessage.Leave) {
            leave((ClientMessage.Leave) message);
        }
    }

    private void signal(ClientMessage.Signal signal) {
        if (cluster != null) {
            cluster.signal(signal);
            return;
        }
        if (peer == null) {
            error(ErrorCode.NOT_JOINED, "join a room before sending signals", signal.requestId());
            return;
        }
        if (!peer.acceptSignal(link)) {
            peer = null;
            error(ErrorCode.NOT_JOINED, "this connection no longer carries the peer", signal.requestId());
            return;
        }
        RoomDirectory directory = context.directory();
        Peer target = directory.member(peer, signal.to());
        if (target == null
                || !directory.deliver(target, ServerMessages.signal(peer.id(), signal.source(), signal.dataStart(), signal.dataEnd()))) {
            context.metrics().error(ErrorCode.UNKNOWN_PEER);
            link.send(ServerMessages.unknownPeer(signal.to(), signal.requestId()));
            return;
        }
        context.metrics().relayed();
        if (signal.requestId().isPresent()) {
            link.send(ServerMessages.ack(signal.requestId()));
        }
    }

    private void join(ClientMessage.Join join) {
        if (context.admission().draining()) {
            error(ErrorCode.DRAINING, "this server is shutting down; connect again to reach another one",
                    join.requestId());
            return;
        }
        if (cluster != null) {
            if (join.resume().isEmpty() && !authorized(join)) {
                return;
            }
            cluster.join(join);
            return;
        }
        if (peer != null && peer.isLinkedTo(link)) {
            error(ErrorCode.ALREADY_JOINED, "already joined room '" + peer.room().name() + "' as " + peer.id()
                    + "; leave first", join.requestId());
            return;
        }
        RoomDirectory directory = context.directory();
        RoomDirectory.Outcome outcome;
        if (join.resume().isPresent()) {
            outcome = directory.resume(join.room(), join.resume().get(), join.received(), link, this::welcome);
        } else {
            if (!authorized(join)) {
                return;
            }
            outcome = directory.join(join.room(), join.name().orElse(""), link, this::welcome);
        }
        if (!outcome.succeeded()) {
            error(outcome.error(), outcome.message(), join.requestId());
            return;
        }
        peer = outcome.peer();
    }

    /** Checks the access token of a fresh join when the server has a signaling secret; answers the error if not. */
    private boolean authorized(ClientMessage.Join join) {
        if (context.tokens().isPresent()) {
            Optional<String> problem = join.token().isEmpty()
                    ? Optional.of("this server needs an access token in 'token'")
                    : context.tokens().get().problem(join.token().get(), join.room());
            if (problem.isPresent()) {
                error(ErrorCode.UNAUTHORIZED, problem.get(), join.requestId());
                return false;
            }
        }
        return true;
    }

    private byte[] clusterWelcome(String room, String id, List<ServerMessages.PeerView> peers, String resumeToken,
                                  boolean resumed, long received) {
        return ServerMessages.joined(room, id, peers, iceServersFor(id), resumeToken, resumed, received);
    }

    private List<IceServer> iceServersFor(String peerId) {
        try {
            return context.iceServers().iceServers(Optional.of(peerId)).iceServers();
        } catch (RuntimeException e) {
            LOG.warn("ICE servers provider failed; joined carries no ICE servers", e);
            return List.of();
        }
    }

    private byte[] welcome(Peer self, List<Peer> others, boolean resumed) {
        List<ServerMessages.PeerView> views = new ArrayList<>(others.size());
        for (Peer other : others) {
            views.add(new ServerMessages.PeerView(other.id(), other.name()));
        }
        return ServerMessages.joined(self.room().name(), self.id(), views, iceServersFor(self.id()), RoomDirectory.resumeToken(self), resumed,
                self.signalsAccepted());
    }

    private void leave(ClientMessage.Leave leave) {
        if (cluster != null) {
            cluster.leave(leave);
            return;
        }
        if (peer == null || !context.directory().leave(peer, link, "leave")) {
            peer = null;
            error(ErrorCode.NOT_JOINED, "not in a room", leave.requestId());
            return;
        }
        String room = peer.room().name();
        peer = null;
        link.send(ServerMessages.left(room, leave.requestId()));
    }

    /** Sends a reply; on a clustered node after the replies to earlier requests still waiting for Redis. */
    private void reply(byte[] frame) {
        if (cluster == null) {
            link.send(frame);
        } else {
            cluster.reply(frame);
        }
    }

    private void error(ErrorCode code, String message, Optional<String> requestId) {
        context.metrics().error(code);
        reply(ServerMessages.error(code, message, requestId));
        if (code.abuse() && !abuseBucket().tryTake(System.nanoTime())) {
            closing = true;
            context.metrics().error(ErrorCode.POLICY_VIOLATION);
            link.close(ErrorCode.POLICY_VIOLATION, "too many bad messages; closing");
        }
    }

    private TokenBucket abuseBucket() {
        if (abuse == null) {
            int limit = context.config().abuseLimit();
            abuse = new TokenBucket(limit, limit / 60.0, System.nanoTime());
        }
        return abuse;
    }
}
