package io.switchboard.signaling.cluster;

import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.signaling.SignalingConfig;
import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.protocol.ServerMessages;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.session.SignalingMetrics;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms and peers of a cluster of signaling nodes that share one Redis. Redis holds the truth: room
 * membership, every peer's inbox (a stream of numbered deliveries, bounded like the resume backlog), resume tokens,
 * and which node holds which peer. Every change is one Lua script run atomically on a single pipelined connection;
 * deliveries reach the node holding the target through that node's Pub/Sub channel, and the inbox stream fills any gap
 * and serves resumes on any node.
 *
 * <p>Nodes renew a lease in Redis; when one stops, any other puts its peers into their grace period, and peers that
 * do not resume in time leave. A node that loses Redis keeps its connections, relays between its own peers and
 * refuses the rest with {@code unavailable}; when Redis is back it hands its peers over again (recreating them if
 * Redis lost its data) and is healthy once more.
 */
public final class ClusterDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDirectory.class);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int PEER_ID_BYTES = 9;
    private static final int RESUME_SECRET_BYTES = 18;
    private static final int SWEEP_LIMIT = 500;
    private static final byte[] ZERO = Bytes.of(0);

    /** How this node stands with Redis. */
    private enum State { UP, DOWN, RECOVERING, STOPPED }

    /** The answer to a signal. */
    public enum SignalOutcome { RELAYED, UNKNOWN_PEER, NOT_JOINED, UNAVAILABLE }

    /** The answer to a join or resume: the peer and what its {@code joined} says, or why not. */
    record Admission(LocalPeer peer, List<ServerMessages.PeerView> others, boolean resumed, long accepted,
                     List<LocalPeer.Delivery> replay, long delivered, ErrorCode error, String message) {
        static Admission refused(ErrorCode error, String message) {
            return new Admission(null, List.of(), false, 0, List.of(), 0, error, message);
        }

        static Admission unavailable() {
            return refused(ErrorCode.UNAVAILABLE, "this node cannot reach the cluster's Redis; try again");
        }

        boolean succeeded() {
            return peer != null;
        }
    }

    private final SignalingConfig config;
    private final String nodeId;
    private final byte[] node;
    private final RedisConnections connections;
    /** Runs what clients ask for (join, signal, leave...), on the relay connection, in the order they asked. */
    private final ClusterScripts scripts;
    /** The control connection: the node's own work (lease, sweeps, gap reads, recovery). */
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final ClusterScripts control;
    private final ClusterMetrics metrics;
    private final SignalingMetrics signalingMetrics;
    private final long graceMs;
    private final int maxEarly;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, LocalPeer> peers = new ConcurrentHashMap<>();
    private final Map<String, List<LocalPeer>> resuming = new ConcurrentHashMap<>();
    /** Peers that left while Redis was unreachable; guarded by {@code this}. */
    private final List<LocalPeer> pendingLeaves = new ArrayList<>();
    /** Held for reading while relaying during an outage, for writing while the outage ends. */
    private final ReentrantReadWriteLock outageLock = new ReentrantReadWriteLock();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final AtomicBoolean reattaching = new AtomicBoolean();
    private final Duration commandTimeout;
    private volatile long tickStarted;
    private volatile State state = State.RECOVERING;
    /** The Redis data set this node registered with; guarded by {@code this}. */
    private String instance;
    private ScheduledFuture<?> ticker;

    private ClusterDirectory(SignalingConfig config, MeterRegistry registry, SignalingMetrics signalingMetrics) {
        this.config = config;
        this.nodeId = config.nodeId();
        this.node = Bytes.of(nodeId);
        this.metrics = new ClusterMetrics(registry, this::healthy);
        this.signalingMetrics = signalingMetrics;
        this.graceMs = config.resumeGrace().toMillis();
        this.commandTimeout = commandTimeout(config);
        this.maxEarly = config.resumeBacklog();
        this.connections = RedisConnections.open(config.redis().orElseThrow(), commandTimeout,
                new RedisConnectionStateListener() {
                    @Override
                    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                        toDown("connection to Redis lost");
                    }

                    @Override
                    public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                        LOG.debug("cluster node {}: connected to Redis at {}", nodeId, address);
                    }
                },
                new RedisPubSubAdapter<>() {
                    @Override
                    public void message(byte[] channel, byte[] message) {
                        onNodeMessage(message);
                    }
                });
        this.scripts = new ClusterScripts(connections.relay().async(), config.resumeBacklog(), config.resumeBacklogBytes());
        this.redis = connections.control().async();
        this.control = new ClusterScripts(redis, config.resumeBacklog(), config.resumeBacklogBytes());
    }

    /**
     * Connects to the Redis of {@code config}, registers this node and starts its heartbeat; throws
     * {@link IllegalStateException} naming {@code --redis} when Redis cannot be reached.
     */
    public static ClusterDirectory start(SignalingConfig config, MeterRegistry registry,
                                         SignalingMetrics signalingMetrics) {
        ClusterDirectory directory;
        try {
            directory = new ClusterDirectory(config, registry, signalingMetrics);
        } catch (RuntimeException e) {
            throw new IllegalStateException("--redis: cannot use Redis at " + redacted(config) + ": " + rootMessage(e), e);
        }
        try {
            directory.begin();
            return directory;
        } catch (RuntimeException e) {
            directory.connections.close();
            throw new IllegalStateException("--redis: cannot use Redis at " + redacted(config) + ": " + rootMessage(e), e);
        }
    }

    /**
     * Long enough that a burst of relay traffic queued behind Redis does not time out: a dead Redis shows as a lost
     * connection, a hung one as a lease renewal that does not finish within the lease (see {@link #heartbeat}).
     */
    private static Duration commandTimeout(SignalingConfig config) {
        Duration leases = config.clusterLease().multipliedBy(4);
        return leases.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : leases;
    }

    private void begin() {
        Duration timeout = commandTimeout;
        try {
            connections.pubsub().sync().subscribe(ClusterKeys.channel(nodeId));
            control.load().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (this) {
                instance = currentInstance().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            renewLease().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // peers left registered by an earlier process with this node id enter their grace period
            sweepOrphans().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering with Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new RedisException("cannot register with Redis: " + rootMessage(e), e);
        }
        state = State.UP;
        long period = config.clusterHeartbeat().toMillis();
        // Not on the client connections' event loops: a busy one must not delay the lease.
        ticker = connections.executors().next().scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        LOG.info("cluster node {} joined the cluster at {} (lease {} ms)", nodeId, redacted(config),
                config.clusterLease().toMillis());
    }

    /** This node's id. */
    public String nodeId() {
        return nodeId;
    }

    /** Whether this node reaches Redis and has handed it all its peers: the node is ready for new peers. */
    public boolean healthy() {
        return state == State.UP;
    }

    /** Peers whose connection is on this node (including those dropped during an outage). */
    public int peerCount() {
        return peers.size();
    }

    /** Rooms with at least one peer whose connection is on this node. */
    public int roomCount() {
        Set<String> rooms = new HashSet<>();
        for (LocalPeer peer : peers.values()) {
            rooms.add(peer.room());
        }
        return rooms.size();
    }

    /** A session for one client connection through {@code link}. */
    public ClusterSession session(PeerLink link, ClusterSession.Welcome welcome) {
        return new ClusterSession(this, link, signalingMetrics, welcome);
    }

    // ---------------------------------------------------------------------------------------------------- joining

    CompletableFuture<Admission> join(String room, String name, PeerLink link) {
        if (state != State.UP) {
            return CompletableFuture.completedFuture(Admission.unavailable());
        }
        LocalPeer peer;
        while (true) {
            String id = randomToken(PEER_ID_BYTES);
            peer = new LocalPeer(id, room, name, id + "." + randomToken(RESUME_SECRET_BYTES), link, this::fillGap, maxEarly);
            if (peers.putIfAbsent(id, peer) == null) {
                break;
            }
        }
        LocalPeer joining = peer;
        byte[] announcement = ServerMessages.peerJoined(new ServerMessages.PeerView(peer.id(), name));
        return scripts.multi(ClusterScripts.Script.JOIN, Bytes.of(room), Bytes.of(peer.id()), Bytes.of(name), node,
                        Bytes.of(tokenHash(peer.resumeToken())), Bytes.of(config.roomCapacity()), announcement)
                .handle((reply, failure) -> {
                    if (failure != null) {
                        forget(joining);
                        clientFailed(failure);
                        return Admission.unavailable();
                    }
                    String status = Bytes.text(reply.get(0));
                    if (status.equals("full")) {
                        forget(joining);
                        return Admission.refused(ErrorCode.ROOM_FULL, "room '" + room + "' is full ("
                                + config.roomCapacity() + " peers)");
                    }
                    if (!status.equals("ok")) {
                        forget(joining);
                        return Admission.refused(ErrorCode.INTERNAL_ERROR, "could not join (" + status + "); try again");
                    }
                    joining.admitted(1, Bytes.number(reply.get(2)), "", 0, 0);
                    return new Admission(joining, ScriptReplies.peerViews(reply.get(1)), false, 0, List.of(), 0, null, null);
                });
    }

    CompletableFuture<Admission> resume(String room, String token, OptionalLong received, PeerLink link) {
        if (state != State.UP) {
            return CompletableFuture.completedFuture(Admission.unavailable());
        }
        int dot = token.indexOf('.');
        String id = dot > 0 ? token.substring(0, dot) : "";
        if (!PEER_ID.matcher(id).matches()) {
            return CompletableFuture.completedFuture(
                    Admission.refused(ErrorCode.RESUME_FAILED, "unknown or expired resume token"));
        }
        LocalPeer peer = new LocalPeer(id, room, "", token, link, this::fillGap, maxEarly);
        resuming.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(peer);
        long count = received.isPresent() ? received.getAsLong() : -1;
        return scripts.multi(ClusterScripts.Script.RESUME, Bytes.of(room), Bytes.of(id), Bytes.of(tokenHash(token)),
                        Bytes.of(count), node)
                .handle((reply, failure) -> {
                    try {
                        if (failure != null) {
                            clientFailed(failure);
                            return Admission.unavailable();
                        }
                        return resumed(peer, reply);
                    } finally {
                        resuming.computeIfPresent(id, (k, list) -> {
                            list.remove(peer);
                            return list.isEmpty() ? null : list;
                        });
                    }
                });
    }

    private Admission resumed(LocalPeer peer, List<Object> reply) {
        String status = Bytes.text(reply.get(0));
        switch (status) {
            case "ok":
                break;
            case "count":
                return Admission.refused(ErrorCode.RESUME_FAILED, "received more messages than were sent (" +
                        Bytes.number(reply.get(1)) + ")");
            case "lost":
                return Admission.refused(ErrorCode.RESUME_FAILED, "messages after " + Bytes.number(reply.get(1))
                        + " are no longer kept");
            default:
                return Admission.refused(ErrorCode.RESUME_FAILED, "unknown or expired resume token");
        }
        long epoch = Bytes.number(reply.get(1));
        long accepted = Bytes.number(reply.get(2));
        long delivered = Bytes.number(reply.get(3));
        List<LocalPeer.Delivery> replay = ScriptReplies.deliveries(reply.get(5));
        peer.admitted(epoch, Bytes.number(reply.get(7)), Bytes.text(reply.get(6)), accepted, delivered - replay.size());
        LocalPeer old = peers.put(peer.id(), peer);
        if (old != null && old != peer) {
            old.closeIfEpochAtMost(epoch - 1, ErrorCode.SESSION_REPLACED, "a resumed connection took over this peer");
        }
        return new Admission(peer, ScriptReplies.peerViews(reply.get(4)), true, accepted, replay, delivered, null, null);
    }

    /** A join or resume answered, but its connection is gone: hand the peer to Redis as dropped or left. */
    void abandon(LocalPeer peer, PeerLink link, boolean leave) {
        if (leave) {
            leave(peer, link);
        } else {
            disconnected(peer, link);
        }
    }

    private void forget(LocalPeer peer) {
        peer.markGone();
        peers.remove(peer.id(), peer);
    }

    // ---------------------------------------------------------------------------------------------------- relaying

    CompletableFuture<SignalOutcome> signal(LocalPeer from, String to, byte[] frame) {
        if (!PEER_ID.matcher(to).matches()) {
            return CompletableFuture.completedFuture(SignalOutcome.UNKNOWN_PEER);
        }
        State now = state;
        if (now == State.UP) {
            return scripts.integer(ClusterScripts.Script.SIGNAL, Bytes.of(from.room()), Bytes.of(from.id()),
                            Bytes.of(from.epoch()), Bytes.of(to), frame)
                    .handle((result, failure) -> {
                        if (failure != null) {
                            clientFailed(failure);
                            return SignalOutcome.UNAVAILABLE;
                        }
                        if (result == -4) {
                            return SignalOutcome.NOT_JOINED;
                        }
                        from.acceptedOne();
                        return result > 0 ? SignalOutcome.RELAYED : SignalOutcome.UNKNOWN_PEER;
                    });
        }
        if (now == State.DOWN) {
            return CompletableFuture.completedFuture(relayDuringOutage(from, to, frame));
        }
        return CompletableFuture.completedFuture(SignalOutcome.UNAVAILABLE);
    }

    private SignalOutcome relayDuringOutage(LocalPeer from, String to, byte[] frame) {
        outageLock.readLock().lock();
        try {
            if (state != State.DOWN) {
                return SignalOutcome.UNAVAILABLE;
            }
            if (from.isGone()) {
                return SignalOutcome.NOT_JOINED;
            }
            LocalPeer target = peers.get(to);
            if (target == null || !target.room().equals(from.room())
                    || !target.deliverDuringOutage(frame, config.resumeBacklog())) {
                return SignalOutcome.UNAVAILABLE;
            }
            from.acceptedDuringOutage();
            metrics.localRelay();
            return SignalOutcome.RELAYED;
        } finally {
            outageLock.readLock().unlock();
        }
    }

    /** Reads deliveries {@code from..to} of {@code peer}; called under the peer's monitor, so it runs elsewhere. */
    private void fillGap(LocalPeer peer, long from, long to) {
        metrics.gapFill();
        connections.executors().execute(() -> readInbox(peer, from, to));
    }

    private void readInbox(LocalPeer peer, long from, long to) {
        try {
            redis.xrange(ClusterKeys.inbox(peer.room(), peer.id()), Range.create(from + "-0", to + "-0"))
                    .whenComplete((entries, failure) -> {
                        if (failure != null) {
                            failed(failure);
                            peer.filled(from, to, null);
                            return;
                        }
                        List<LocalPeer.Delivery> found = new ArrayList<>(entries.size());
                        for (StreamMessage<byte[], byte[]> entry : entries) {
                            found.add(new LocalPeer.Delivery(ScriptReplies.sequenceOf(entry.getId()),
                                    entry.getBody().values().iterator().next()));
                        }
                        peer.filled(from, to, found);
                    });
        } catch (RuntimeException e) {
            peer.filled(from, to, null);
        }
    }

    private void onNodeMessage(byte[] bytes) {
        if (state == State.STOPPED) {
            return;
        }
        Optional<NodeMessage> parsed = NodeMessage.parse(bytes);
        if (parsed.isEmpty()) {
            LOG.debug("cluster node {}: ignored a malformed channel message", nodeId);
            return;
        }
        NodeMessage message = parsed.get();
        if (message instanceof NodeMessage.Delivery) {
            NodeMessage.Delivery delivery = (NodeMessage.Delivery) message;
            // Resuming first: a resume's answer puts the peer into peers before it takes it out of resuming, so the
            // other order could miss the peer in both maps, and the delivery would be written only once a later one
            // showed the gap (never, if it was the last).
            List<LocalPeer> pending = resuming.get(delivery.peer());
            if (pending != null) {
                for (LocalPeer p : pending) {
                    p.deliver(delivery.seq(), delivery.frame());
                }
            }
            LocalPeer peer = peers.get(delivery.peer());
            if (peer != null) {
                peer.deliver(delivery.seq(), delivery.frame()); // a second call for the same peer is a no-op
                metrics.delivered();
            }
        } else if (message instanceof NodeMessage.Replaced) {
            NodeMessage.Replaced replaced = (NodeMessage.Replaced) message;
            closeLocal(replaced.peer(), replaced.epoch() - 1, ErrorCode.SESSION_REPLACED,
                    "a resumed connection took over this peer");
        } else if (message instanceof NodeMessage.Removed) {
            NodeMessage.Removed removed = (NodeMessage.Removed) message;
            closeLocal(removed.peer(), removed.epoch(), ErrorCode.RESUME_FAILED, "the peer could not be resumed");
        }
    }

    private void closeLocal(String id, long upToEpoch, ErrorCode code, String text) {
        LocalPeer peer = peers.get(id);
        if (peer != null) {
            peer.closeIfEpochAtMost(upToEpoch, code, text);
            if (peer.isGone()) {
                peers.remove(id, peer);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- leaving

    /** The peer leaves (leave message or clean close through {@code link}); false if {@code link} did not carry it. */
    CompletableFuture<Boolean> leave(LocalPeer peer, PeerLink link) {
        if (!peer.isLinkedTo(link)) {
            return CompletableFuture.completedFuture(false);
        }
        long epoch = peer.epoch();
        peer.markGone();
        peers.remove(peer.id(), peer);
        synchronized (this) {
            if (state == State.STOPPED) {
                return CompletableFuture.completedFuture(true);
            }
            if (state != State.UP) {
                pendingLeaves.add(peer);
                return CompletableFuture.completedFuture(true);
            }
        }
        return scripts.integer(ClusterScripts.Script.LEAVE, Bytes.of(peer.room()), Bytes.of(peer.id()), Bytes.of(epoch), ZERO)
                .handle((result, failure) -> {
                    if (failure != null) {
                        clientFailed(failure);
                        synchronized (this) {
                            pendingLeaves.add(peer);
                        }
                        return true;
                    }
                    return result == 1;
                });
    }

    /** The connection {@code link} of {@code peer} dropped: the peer keeps its id and room for the grace period. */
    void disconnected(LocalPeer peer, PeerLink link) {
        long sent;
        synchronized (this) {
            if (state == State.STOPPED) {
                peer.markGone();
                return;
            }
            boolean outage = state != State.UP;
            sent = peer.drop(link, outage);
            if (sent < 0 || outage) {
                return;
            }
        }
        peers.remove(peer.id(), peer);
        scripts.integer(ClusterScripts.Script.DETACH, Bytes.of(peer.room()), Bytes.of(peer.id()), Bytes.of(peer.epoch()),
                node, Bytes.of(sent), Bytes.of(graceMs)).whenComplete((result, failure) -> {
                    if (failure != null) {
                        clientFailed(failure);
                        LOG.debug("cluster node {}: detach of {} failed; the peer is handed over at recovery", nodeId, peer);
                    }
                });
    }

    // ---------------------------------------------------------------------------------------------------- heartbeat

    private void tick() {
        long started = System.nanoTime();
        if (!ticking.compareAndSet(false, true)) {
            if (started - tickStarted < 3 * commandTimeout.toNanos()) {
                return;
            }
            LOG.warn("cluster node {}: a heartbeat never finished; starting another", nodeId);
        }
        tickStarted = started;
        CompletableFuture<?> work;
        try {
            State now = state;
            if (now == State.UP) {
                work = heartbeat();
            } else if (now == State.DOWN && connections.allOpen()) {
                work = recover();
            } else {
                work = CompletableFuture.completedFuture(null);
            }
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        work.whenComplete((v, failure) -> {
            if (failure != null) {
                failed(failure);
            }
            ticking.set(false);
        });
    }

    private CompletableFuture<?> heartbeat() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        all.add(redis.setGet(ClusterKeys.node(nodeId), node, SetArgs.Builder.px(config.clusterLease().toMillis()))
                .toCompletableFuture()
                .orTimeout(config.clusterLease().toMillis(), TimeUnit.MILLISECONDS) // Redis hung: as good as gone
                .thenAccept(previous -> {
                    if (previous == null) {
                        reattach();
                    }
                }));
        all.add(redis.sadd(ClusterKeys.NODES, node).toCompletableFuture());
        List<byte[]> sent = new ArrayList<>();
        sent.add(node);
        for (LocalPeer peer : peers.values()) {
            long seq = peer.sentToReport();
            if (seq > 0) {
                sent.add(Bytes.of(peer.room()));
                sent.add(Bytes.of(peer.id()));
                sent.add(Bytes.of(peer.epoch()));
                sent.add(Bytes.of(seq));
            }
        }
        if (sent.size() > 1) {
            all.add(control.integer(ClusterScripts.Script.SENT, sent.toArray(new byte[0][])).toCompletableFuture());
        }
        all.add(redis.smembers(ClusterKeys.NODES).toCompletableFuture().thenCompose(this::reapDeadNodes));
        all.add(control.integer(ClusterScripts.Script.EXPIRE, Bytes.of(SWEEP_LIMIT)));
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * The lease ran out before this node renewed it (an overloaded or paused node), so other nodes may have put its
     * peers into their grace period: hand them back, while serving as usual.
     */
    private void reattach() {
        if (!reattaching.compareAndSet(false, true)) {
            return;
        }
        metrics.leaseLapse();
        LOG.warn("cluster node {}: its lease had run out; re-attaching its {} peers", nodeId, peers.size());
        List<LocalPeer> handed = new ArrayList<>();
        reclaimAll(Reclaiming.AFTER_LEASE_LAPSE, handed).whenComplete((v, failure) -> {
            if (failure != null) {
                handed.forEach(LocalPeer::abortReclaim);
                failed(failure);
            }
            reattaching.set(false);
        });
    }

    private CompletableFuture<Void> reapDeadNodes(Set<byte[]> nodes) {
        List<CompletableFuture<?>> checks = new ArrayList<>();
        int[] alive = {0};
        for (byte[] other : nodes) {
            String otherId = new String(other, StandardCharsets.UTF_8);
            checks.add(redis.exists(ClusterKeys.node(otherId)).toCompletableFuture().thenCompose(exists -> {
                if (exists > 0) {
                    synchronized (alive) {
                        alive[0]++;
                    }
                    return CompletableFuture.completedFuture(null);
                }
                return reap(otherId);
            }));
        }
        return CompletableFuture.allOf(checks.toArray(new CompletableFuture<?>[0]))
                .thenRun(() -> metrics.liveNodes(alive[0]));
    }

    private CompletableFuture<Void> reap(String dead) {
        return control.integer(ClusterScripts.Script.REAP, Bytes.of(dead), Bytes.of(graceMs), Bytes.of(SWEEP_LIMIT))
                .thenCompose(count -> {
                    if (count > 0) {
                        metrics.reaped(count);
                        LOG.info("cluster node {}: node {} stopped renewing its lease; {} of its peers enter their grace period",
                                nodeId, dead, count);
                    }
                    return count >= SWEEP_LIMIT ? reap(dead) : CompletableFuture.completedFuture(null);
                });
    }

    private CompletableFuture<String> renewLease() {
        return redis.set(ClusterKeys.node(nodeId), node, SetArgs.Builder.px(config.clusterLease().toMillis()))
                .toCompletableFuture()
                .thenCompose(ok -> redis.sadd(ClusterKeys.NODES, node).toCompletableFuture())
                .thenApply(added -> nodeId);
    }

    private CompletableFuture<String> currentInstance() {
        byte[] fresh = Bytes.of(randomToken(12));
        return redis.setnx(ClusterKeys.INSTANCE, fresh).toCompletableFuture()
                .thenCompose(set -> redis.get(ClusterKeys.INSTANCE).toCompletableFuture())
                .thenApply(value -> new String(value, StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------------------- outages

    /**
     * A command made for a client failed. A timeout there only means Redis is slow behind a burst: the client hears
     * {@code unavailable}, and the heartbeat, not the relay traffic, decides whether Redis is gone.
     */
    private void clientFailed(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RedisCommandTimeoutException) {
            metrics.redisError();
            LOG.debug("cluster node {}: a Redis command timed out", nodeId);
            return;
        }
        failed(cause);
    }

    private void failed(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (state == State.STOPPED) {
            return;
        }
        metrics.redisError();
        if (cause instanceof RedisCommandExecutionException && !(cause instanceof RedisNoScriptException)
                && !unavailable(String.valueOf(cause.getMessage()))) {
            LOG.error("cluster node {}: a Redis script failed: {}", nodeId, cause.getMessage());
            return;
        }
        toDown(rootMessage(cause));
    }

    /** Errors that mean Redis cannot take writes now (full, a replica, loading, busy) rather than a failed script. */
    private static boolean unavailable(String error) {
        return error.startsWith("OOM") || error.startsWith("READONLY") || error.startsWith("LOADING")
                || error.startsWith("BUSY") || error.startsWith("MASTERDOWN") || error.startsWith("NOAUTH");
    }

    private void toDown(String why) {
        synchronized (this) {
            if (state != State.UP && state != State.RECOVERING) {
                return;
            }
            state = State.DOWN;
        }
        metrics.outage();
        LOG.warn("cluster node {}: cannot use Redis ({}); relaying only between peers of this node until it is back",
                nodeId, why);
    }

    /** Redis is reachable again: reload the scripts, hand every peer of this node back, then serve as before. */
    private CompletableFuture<Void> recover() {
        outageLock.writeLock().lock();
        try {
            synchronized (this) {
                if (state != State.DOWN) {
                    return CompletableFuture.completedFuture(null);
                }
                state = State.RECOVERING;
            }
        } finally {
            outageLock.writeLock().unlock();
        }
        LOG.info("cluster node {}: Redis is reachable again; handing over {} peers", nodeId, peers.size());
        List<LocalPeer> handed = new ArrayList<>();
        return control.load()
                .thenCompose(v -> currentInstance())
                .thenCompose(current -> {
                    boolean lost;
                    synchronized (this) {
                        lost = instance != null && !instance.equals(current);
                        instance = current;
                    }
                    if (lost) {
                        LOG.warn("cluster node {}: Redis lost its data; re-creating the peers of this node", nodeId);
                    }
                    return renewLease().thenCompose(x -> reclaimAll(lost ? Reclaiming.AFTER_DATA_LOSS
                            : Reclaiming.AFTER_OUTAGE, handed));
                })
                .thenCompose(v -> sweepOrphans())
                .thenCompose(v -> finishRecovery())
                .whenComplete((v, failure) -> {
                    if (failure != null) {
                        for (LocalPeer peer : handed) {
                            peer.abortReclaim();
                        }
                        synchronized (this) {
                            if (state == State.RECOVERING) {
                                state = State.DOWN;
                            }
                        }
                    }
                });
    }

    /** How {@code reclaim.lua} treats what it finds. */
    private enum Reclaiming {
        AFTER_OUTAGE("0"), AFTER_DATA_LOSS("1"), AFTER_LEASE_LAPSE("2");

        private final byte[] flag;

        Reclaiming(String flag) {
            this.flag = Bytes.of(flag);
        }
    }

    private CompletableFuture<Void> reclaimAll(Reclaiming how, List<LocalPeer> handed) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (LocalPeer peer : List.copyOf(peers.values())) {
            LocalPeer.Reclaim r = peer.beginReclaim();
            if (r == null) {
                continue;
            }
            handed.add(peer);
            long graceLeft = r.connected() ? graceMs
                    : graceMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r.droppedNanos());
            List<byte[]> args = new ArrayList<>(List.of(node, how.flag, Bytes.of(peer.room()),
                    Bytes.of(peer.id()), Bytes.of(peer.name()), Bytes.of(r.epoch()), Bytes.of(tokenHash(peer.resumeToken())),
                    Bytes.of(r.order()), Bytes.of(r.base()), Bytes.of(r.connected() ? "a" : "d"),
                    Bytes.of(Math.max(1, graceLeft)), Bytes.of(r.accepted()), Bytes.of(r.acceptedDuringOutage()),
                    Bytes.of(r.sent())));
            args.addAll(r.frames());
            all.add(control.multi(ClusterScripts.Script.RECLAIM, args.toArray(new byte[0][])).toCompletableFuture()
                    .thenAccept(reply -> reclaimed(peer, reply, r.connected(), !r.connected() && graceLeft <= 0)));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    private void reclaimed(LocalPeer peer, List<Object> reply, boolean connected, boolean graceOver) {
        String status = Bytes.text(reply.get(0));
        switch (status) {
            case "ok":
                peer.endReclaim(Bytes.number(reply.get(1)), ScriptReplies.deliveries(reply.get(2)), connected);
                if (peer.isGone()) {
                    peers.remove(peer.id(), peer);
                    if (graceOver) {
                        synchronized (this) {
                            pendingLeaves.add(peer);
                        }
                    }
                }
                break;
            case "replaced":
                peer.closeIfEpochAtMost(Long.MAX_VALUE, ErrorCode.SESSION_REPLACED, "a resumed connection took over this peer");
                peers.remove(peer.id(), peer);
                break;
            default:
                peer.closeIfEpochAtMost(Long.MAX_VALUE, ErrorCode.RESUME_FAILED,
                        "the peer left or lost messages while this node could not reach Redis; join again");
                peers.remove(peer.id(), peer);
                break;
        }
    }

    /** Peers registered with this node in Redis that it does not hold (answers lost in the outage) are detached. */
    private CompletableFuture<Void> sweepOrphans() {
        return redis.smembers(ClusterKeys.nodePeers(nodeId)).toCompletableFuture().thenCompose(tags -> {
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (byte[] tag : tags) {
                String text = new String(tag, StandardCharsets.UTF_8);
                int space = text.indexOf(' ');
                if (space <= 0) {
                    continue;
                }
                String id = text.substring(space + 1);
                if (!peers.containsKey(id) && !resuming.containsKey(id)) {
                    all.add(control.integer(ClusterScripts.Script.ORPHAN, Bytes.of(text.substring(0, space)), Bytes.of(id),
                            node, Bytes.of(graceMs)));
                }
            }
            return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
        });
    }

    /** Runs the leaves and drops that happened during the outage or the recovery, then serves normally again. */
    private CompletableFuture<Void> finishRecovery() {
        List<LocalPeer> leaves;
        List<LocalPeer> dropped = new ArrayList<>();
        synchronized (this) {
            if (state != State.RECOVERING) {
                return CompletableFuture.failedFuture(new RedisException("Redis lost again during recovery"));
            }
            for (LocalPeer peer : peers.values()) {
                if (peer.mode() == LocalPeer.Mode.DROPPED) {
                    dropped.add(peer);
                }
            }
            leaves = List.copyOf(pendingLeaves);
            pendingLeaves.clear();
            if (leaves.isEmpty() && dropped.isEmpty()) {
                state = State.UP;
                metrics.recovered();
                LOG.info("cluster node {}: serving the cluster again", nodeId);
                return CompletableFuture.completedFuture(null);
            }
        }
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (LocalPeer peer : leaves) {
            all.add(control.integer(ClusterScripts.Script.LEAVE, Bytes.of(peer.room()), Bytes.of(peer.id()),
                    Bytes.of(peer.epoch()), ZERO));
        }
        for (LocalPeer peer : dropped) {
            LocalPeer.Reclaim r = peer.beginReclaim();
            if (r == null) {
                continue;
            }
            long graceLeft = graceMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r.droppedNanos());
            peer.markGone();
            peers.remove(peer.id(), peer);
            all.add(control.integer(ClusterScripts.Script.DETACH, Bytes.of(peer.room()), Bytes.of(peer.id()),
                    Bytes.of(r.epoch()), node, Bytes.of(r.sent()), Bytes.of(Math.max(0, graceLeft))));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenCompose(v -> finishRecovery());
    }

    // ---------------------------------------------------------------------------------------------------- stopping

    /**
     * Stops as if the process died: the heartbeat stops and the connections to Redis close without telling Redis
     * anything; the other nodes notice when the lease runs out. For failover tests.
     */
    public void crash() {
        synchronized (this) {
            state = State.STOPPED;
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
        connections.crash();
    }

    /**
     * Leaves the cluster: waits (up to two seconds) for the peers' detaches, issued as their connections closed, and
     * gives up the lease, so that the peers can resume on other nodes.
     */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (state != State.STOPPED) {
            try {
                connections.relay().async().ping().get(2, TimeUnit.SECONDS); // the closed connections' detaches are done
                redis.del(ClusterKeys.node(nodeId)).get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.debug("cluster node {}: could not give up its lease: {}", nodeId, e.toString());
            }
        }
        synchronized (this) {
            state = State.STOPPED;
        }
        connections.close();
        LOG.info("cluster node {} left the cluster", nodeId);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    static String tokenHash(String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return BASE64URL.encodeToString(b);
    }

    private static String redacted(SignalingConfig config) {
        URI uri = config.redis().orElseThrow();
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
