package io.switchboard.client.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of Switchboard signaling protocol v1 over WebSocket ({@code java.net.http}), which joins one room and
 * stays in it: after a dropped connection it reconnects and resumes with the same peer id, and neither direction
 * loses a message on the way (see {@code docs/PROTOCOL.md}, "Resume").
 *
 * <pre>{@code
 * SignalingEventQueue events = new SignalingEventQueue();
 * try (SignalingClient client = SignalingClient.builder(URI.create("ws://127.0.0.1:8080/ws"))
 *         .room("demo").name("bot").listener(events).connect()) {
 *     PeerInfo other = events.next(SignalingEvent.PeerJoined.class, Duration.ofSeconds(30)).peer();
 *     client.sendSignal(other.id(), someJson);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Events reach the listener one at a time on the client's network thread.
 */
public final class SignalingClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum State { CONNECTING, JOINING, JOINED, RECONNECTING, CLOSED }

    /** A signal waiting to be written, or written and kept until the server confirms it on a resume. */
    private record Outgoing(long seq, String text, CompletableFuture<Void> written) {
    }

    private final URI uri;
    private final String room;
    private final Optional<String> name;
    private final Optional<String> token;
    private final SignalingListener listener;
    private final HttpClient http;
    private final boolean reconnect;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Duration reconnectFor;
    private final Duration heartbeat;
    private final int maxRetained;
    private final int maxPending;
    private final ScheduledExecutorService timer;
    private final boolean ownTimer;
    private final CompletableFuture<SignalingClient> connected = new CompletableFuture<>();
    private final Object lock = new Object();
    private final Object listenerLock = new Object();

    // Guarded by lock.
    private State state = State.CONNECTING;
    private Connection current;
    private String peerId;
    private String resumeToken;
    private long deliveries;
    private final ArrayDeque<Outgoing> sent = new ArrayDeque<>();
    private final ArrayDeque<Outgoing> pending = new ArrayDeque<>();
    private long nextSeq = 1;
    private long idBase;
    private boolean sending;
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private long dropStartedNanos;
    private Duration backoff;
    private long lastReceiveNanos = System.nanoTime();

    private SignalingClient(Builder b) {
        this.uri = b.uri;
        this.room = b.room;
        this.name = b.name;
        this.token = b.token;
        this.listener = b.listener;
        this.http = b.http != null ? b.http : SharedHttpClient.INSTANCE;
        this.reconnect = b.reconnect;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.reconnectFor = b.reconnectFor;
        this.heartbeat = b.heartbeat;
        this.maxRetained = b.maxRetained;
        this.maxPending = b.maxPending;
        this.ownTimer = b.timer == null;
        this.timer = ownTimer ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-signaling-client");
            t.setDaemon(true);
            return t;
        }) : b.timer;
        this.backoff = minBackoff;
    }

    /** A builder for a client of the signaling endpoint {@code uri}, e.g. {@code ws://host:8080/ws}. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** This client's peer id; empty before the first {@code joined}. */
    public Optional<String> id() {
        synchronized (lock) {
            return Optional.ofNullable(peerId);
        }
    }

    /** The room this client is in. */
    public String room() {
        return room;
    }

    /** Whether the client is in the room right now (not connecting, reconnecting or closed). */
    public boolean isJoined() {
        synchronized (lock) {
            return state == State.JOINED;
        }
    }

    /**
     * Sends {@code data} to peer {@code to}. Signals are written in call order; while reconnecting they wait and are
     * sent after the resume. The future completes once the signal is written to the connection.
     */
    public CompletableFuture<Void> sendSignal(String to, JsonNode data) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "signal");
        message.put("to", to);
        message.set("data", data);
        try {
            return enqueue(JSON.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Like {@link #sendSignal(String, JsonNode)} with {@code rawJson} (which must be one JSON value) as the data. */
    public CompletableFuture<Void> sendSignalJson(String to, String rawJson) {
        return enqueue("{\"type\":\"signal\",\"to\":" + quote(to) + ",\"data\":" + rawJson + "}");
    }

    private CompletableFuture<Void> enqueue(String text) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        synchronized (lock) {
            if (state == State.CLOSED) {
                return CompletableFuture.failedFuture(new SignalingException("closed", "the client is closed"));
            }
            if (pending.size() >= maxPending) {
                return CompletableFuture.failedFuture(new SignalingException("outbox-full",
                        maxPending + " signals are already waiting to be sent"));
            }
            pending.addLast(new Outgoing(nextSeq++, text, written));
            pump();
        }
        return written;
    }

    /**
     * Drops the TCP connection without a goodbye, as a failing network would; the client then reconnects and
     * resumes. For tests and chaos experiments.
     */
    public void abortConnection() {
        Connection c;
        synchronized (lock) {
            c = current;
        }
        if (c != null) {
            c.abort();
            dropped(c, "aborted");
        }
    }

    /** Leaves the room (a clean WebSocket close, which the server treats as a leave) and stops the client. */
    @Override
    public void close() {
        Connection c;
        CompletableFuture<?> last;
        List<Outgoing> unsent;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            c = current;
            current = null;
            last = lastSend;
            unsent = drainPending();
        }
        fail(unsent, new SignalingException("closed", "the client was closed"));
        connected.completeExceptionally(new SignalingException("closed", "the client was closed"));
        if (c != null && c.socket != null) {
            WebSocket socket = c.socket;
            try {
                last.handle((r, e) -> null)
                        .thenCompose(x -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                        .get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("close frame not sent: {}", e.toString());
            }
            socket.abort();
        }
        if (ownTimer) {
            timer.shutdownNow();
        }
        emit(new SignalingEvent.Disconnected("closed", false));
    }

    private CompletableFuture<SignalingClient> start() {
        if (heartbeat.compareTo(Duration.ZERO) > 0) {
            long period = heartbeat.toMillis();
            timer.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        }
        open();
        return connected;
    }

    private void open() {
        Connection c = new Connection();
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            current = c;
        }
        http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, c)
                .whenComplete((socket, error) -> {
                    if (error != null) {
                        dropped(c, "connect failed: " + rootMessage(error));
                        return;
                    }
                    synchronized (lock) {
                        if (current != c) {
                            socket.abort();
                            return;
                        }
                        c.socket = socket;
                        state = State.JOINING;
                        lastReceiveNanos = System.nanoTime();
                        sendJoin(c, resumeToken, false);
                    }
                });
    }

    /**
     * Sends the join (a resume when {@code resume} is set), after the previous send on this connection when
     * {@code afterLast}; called with the lock held.
     */
    private void sendJoin(Connection c, String resume, boolean afterLast) {
        ObjectNode join = JSON.createObjectNode();
        join.put("type", "join");
        join.put("room", room);
        name.ifPresent(n -> join.put("name", n));
        token.ifPresent(t -> join.put("token", t));
        if (resume != null) {
            join.put("resume", resume);
            join.put("received", deliveries);
        }
        String text = join.toString();
        WebSocket socket = c.socket;
        lastSend = afterLast
                ? lastSend.handle((r, e) -> null).thenCompose(x -> socket.sendText(text, true))
                : socket.sendText(text, true);
    }

    /**
     * Writes pending signals one at a time (the JDK WebSocket allows one outstanding send); called with the lock
     * held. Futures of written signals complete on this thread.
     */
    private void pump() {
        while (state == State.JOINED && !sending && current != null && current.socket != null && !pending.isEmpty()) {
            Outgoing next = pending.peekFirst();
            Connection c = current;
            sending = true;
            CompletableFuture<WebSocket> send = c.socket.sendText(next.text(), true);
            lastSend = send;
            if (send.isDone() && !send.isCompletedExceptionally()) {
                sending = false;
                written(next);
                continue;
            }
            send.whenComplete((socket, error) -> {
                synchronized (lock) {
                    if (current != c || !sending || pending.peekFirst() != next) {
                        return;
                    }
                    sending = false;
                    if (error == null) {
                        written(next);
                    }
                    pump();
                }
            });
            return;
        }
    }

    private void written(Outgoing next) {
        pending.pollFirst();
        sent.addLast(next);
        while (sent.size() > maxRetained) {
            sent.pollFirst();
        }
        next.written().complete(null);
    }

    private void handle(Connection c, String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            LOG.warn("server sent invalid JSON: {}", e.getOriginalMessage());
            return;
        }
        synchronized (lock) {
            if (current != c) {
                return;
            }
            lastReceiveNanos = System.nanoTime();
        }
        String type = message.path("type").asText();
        switch (type) {
            case "joined":
                joined(c, message);
                break;
            case "peer-joined":
                if (countDelivery(c)) {
                    JsonNode peer = message.path("peer");
                    emit(new SignalingEvent.PeerJoined(new PeerInfo(peer.path("id").asText(), peer.path("name").asText())));
                }
                break;
            case "peer-left":
                if (countDelivery(c)) {
                    emit(new SignalingEvent.PeerLeft(message.path("id").asText()));
                }
                break;
            case "signal":
                if (countDelivery(c)) {
                    emit(new SignalingEvent.Signal(message.path("from").asText(), message.path("data")));
                }
                break;
            case "error":
                error(c, message.path("code").asText(), message.path("message").asText());
                break;
            default:
                break; // pong, ack, left
        }
    }

    private boolean countDelivery(Connection c) {
        synchronized (lock) {
            if (current != c) {
                return false;
            }
            deliveries++;
            return true;
        }
    }

    private void joined(Connection c, JsonNode message) {
        String id = message.path("id").asText();
        boolean resumed = message.path("resumed").asBoolean(false);
        long received = message.path("received").asLong(0);
        String gap = null;
        synchronized (lock) {
            if (current != c) {
                return;
            }
            if (resumed && id.equals(peerId)) {
                long confirmed = idBase + received;
                while (!sent.isEmpty() && sent.peekFirst().seq() <= confirmed) {
                    sent.pollFirst();
                }
                while (!pending.isEmpty() && pending.peekFirst().seq() <= confirmed) {
                    pending.pollFirst().written().complete(null); // written just before the drop, and it arrived
                }
                long firstKnown = !sent.isEmpty() ? sent.peekFirst().seq()
                        : !pending.isEmpty() ? pending.peekFirst().seq() : nextSeq;
                if (firstKnown > confirmed + 1) {
                    gap = (firstKnown - confirmed - 1) + " signals written before the drop were lost";
                }
                while (!sent.isEmpty()) {
                    pending.addFirst(sent.pollLast());
                }
            } else {
                deliveries = 0;
                sent.clear();
                idBase = pending.isEmpty() ? nextSeq - 1 : pending.peekFirst().seq() - 1;
            }
            peerId = id;
            resumeToken = message.path("resume").asText(null);
            state = State.JOINED;
            backoff = minBackoff;
            dropStartedNanos = 0;
            pump();
        }
        List<PeerInfo> peers = new ArrayList<>();
        for (JsonNode peer : message.path("peers")) {
            peers.add(new PeerInfo(peer.path("id").asText(), peer.path("name").asText()));
        }
        if (gap != null) {
            emit(new SignalingEvent.Error("resend-gap", gap));
        }
        emit(new SignalingEvent.Joined(message.path("room").asText(), id, List.copyOf(peers), message.path("iceServers"), resumed));
        connected.complete(this);
    }

    private void error(Connection c, String code, String text) {
        boolean giveUp = false;
        synchronized (lock) {
            if (current != c) {
                return;
            }
            if (state == State.JOINING) {
                if (code.equals("resume-failed") && resumeToken != null) {
                    resumeToken = null;
                    sendJoin(c, null, true);
                } else if (!connected.isDone()) {
                    connected.completeExceptionally(new SignalingException(code, text));
                    giveUp = true;
                } else {
                    giveUp = true;
                }
            }
        }
        emit(new SignalingEvent.Error(code, text));
        if (giveUp) {
            stop("join refused: " + code);
        }
    }

    private void heartbeat() {
        Connection dead = null;
        synchronized (lock) {
            if (state != State.JOINED || current == null || current.socket == null) {
                return;
            }
            long silent = System.nanoTime() - lastReceiveNanos;
            if (silent >= 3 * heartbeat.toNanos()) {
                dead = current;
            } else if (!sending && silent >= heartbeat.toNanos()) {
                Connection c = current;
                sending = true;
                CompletableFuture<WebSocket> send = c.socket.sendText("{\"type\":\"ping\"}", true);
                lastSend = send;
                send.whenComplete((socket, error) -> {
                    synchronized (lock) {
                        if (current == c && sending) {
                            sending = false;
                            pump();
                        }
                    }
                });
            }
        }
        if (dead != null) {
            dead.abort();
            dropped(dead, "no message from the server for " + 3 * heartbeat.toMillis() + " ms");
        }
    }

    /** The connection {@code c} ended; reconnect unless closed or not allowed. */
    private void dropped(Connection c, String reason) {
        boolean retry;
        List<Outgoing> unsent = List.of();
        synchronized (lock) {
            if (current != c || state == State.CLOSED) {
                return;
            }
            current = null;
            sending = false;
            long now = System.nanoTime();
            if (dropStartedNanos == 0) {
                dropStartedNanos = now;
            }
            retry = reconnect && connected.isDone() && !connected.isCompletedExceptionally()
                    && now - dropStartedNanos < reconnectFor.toNanos();
            if (retry) {
                state = State.RECONNECTING;
                Duration delay = backoff;
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                timer.schedule(this::open, delay.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                state = State.CLOSED;
                unsent = drainPending();
            }
        }
        c.abort();
        LOG.debug("signaling connection to {} dropped: {}", uri, reason);
        if (!retry) {
            connected.completeExceptionally(new SignalingException("connect-failed", reason));
            fail(unsent, new SignalingException("closed", "the connection was lost: " + reason));
            if (ownTimer) {
                timer.shutdownNow();
            }
        }
        emit(new SignalingEvent.Disconnected(reason, retry));
    }

    private void stop(String reason) {
        Connection c;
        List<Outgoing> unsent;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            c = current;
            current = null;
            unsent = drainPending();
        }
        if (c != null) {
            c.abort();
        }
        fail(unsent, new SignalingException("closed", reason));
        if (ownTimer) {
            timer.shutdownNow();
        }
        emit(new SignalingEvent.Disconnected(reason, false));
    }

    private List<Outgoing> drainPending() {
        List<Outgoing> all = new ArrayList<>(pending);
        pending.clear();
        sent.clear();
        return all;
    }

    private static void fail(List<Outgoing> outgoing, SignalingException reason) {
        for (Outgoing o : outgoing) {
            o.written().completeExceptionally(reason);
        }
    }

    private void emit(SignalingEvent event) {
        synchronized (listenerLock) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("signaling listener failed on {}", event.getClass().getSimpleName(), e);
            }
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String rootMessage(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }

    /** One WebSocket connection; callbacks from a connection that is no longer current are ignored. */
    private final class Connection implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                handle(this, text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            synchronized (lock) {
                if (current == this) {
                    lastReceiveNanos = System.nanoTime();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            dropped(this, "closed by the server: " + statusCode + (reason.isEmpty() ? "" : " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            dropped(this, "connection failed: " + rootMessage(error));
        }

        void abort() {
            WebSocket s = socket;
            if (s != null) {
                s.abort();
            }
        }
    }

    /** One HTTP client for every signaling client that was not given its own. */
    private static final class SharedHttpClient {
        static final HttpClient INSTANCE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Settings of a {@link SignalingClient}; only the room is required. */
    public static final class Builder {
        private final URI uri;
        private String room;
        private Optional<String> name = Optional.empty();
        private Optional<String> token = Optional.empty();
        private SignalingListener listener = event -> { };
        private HttpClient http;
        private boolean reconnect = true;
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration reconnectFor = Duration.ofMinutes(2);
        private Duration heartbeat = Duration.ofSeconds(15);
        private int maxRetained = 1024;
        private int maxPending = 4096;
        private ScheduledExecutorService timer;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
                throw new IllegalArgumentException("signaling URI must start with ws:// or wss://, got " + uri);
            }
        }

        /** The room to join: 1-64 characters of {@code [A-Za-z0-9_-]}. */
        public Builder room(String value) {
            room = Objects.requireNonNull(value);
            return this;
        }

        /** The display name other peers see. */
        public Builder name(String value) {
            name = Optional.of(value);
            return this;
        }

        /** The access token, when the server has a signaling secret. */
        public Builder token(String value) {
            token = Optional.of(value);
            return this;
        }

        /** Where events go; nowhere by default. */
        public Builder listener(SignalingListener value) {
            listener = Objects.requireNonNull(value);
            return this;
        }

        /** The HTTP client to open WebSockets with; one shared HTTP/1.1 client by default. */
        public Builder httpClient(HttpClient value) {
            http = Objects.requireNonNull(value);
            return this;
        }

        /** Whether to reconnect and resume after a dropped connection (default true). */
        public Builder reconnect(boolean value) {
            reconnect = value;
            return this;
        }

        /** Delay before the first reconnect attempt, doubled up to {@code max} (defaults 100 ms and 5 s). */
        public Builder reconnectBackoff(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("backoff must satisfy 0 < min <= max, got " + min + " and " + max);
            }
            minBackoff = min;
            maxBackoff = max;
            return this;
        }

        /** How long to keep trying to reconnect after a drop before giving up (default 2 minutes). */
        public Builder reconnectFor(Duration value) {
            reconnectFor = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Sends a {@code ping} after this long without hearing from the server, and treats the connection as dead
         * after three times as long (default 15 s; zero turns it off).
         */
        public Builder heartbeat(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("heartbeat must not be negative, got " + value);
            }
            heartbeat = value;
            return this;
        }

        /** How many written signals to keep for re-sending after a resume (default 1024). */
        public Builder maxRetained(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxRetained must not be negative");
            }
            maxRetained = value;
            return this;
        }

        /** How many signals may wait while disconnected before sends fail with {@code outbox-full} (default 4096). */
        public Builder maxPending(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxPending must be positive");
            }
            maxPending = value;
            return this;
        }

        /** A scheduler for reconnects and heartbeats shared by many clients; each client makes its own by default. */
        public Builder scheduler(ScheduledExecutorService value) {
            timer = Objects.requireNonNull(value);
            return this;
        }

        /** Connects and joins; the future completes after {@code joined}, or fails with a {@link SignalingException}. */
        public CompletableFuture<SignalingClient> connectAsync() {
            if (room == null) {
                throw new IllegalStateException("room is required");
            }
            return new SignalingClient(this).start();
        }

        /** Connects and joins, waiting up to 30 seconds; throws {@link SignalingException} when refused or unreachable. */
        public SignalingClient connect() {
            CompletableFuture<SignalingClient> future = connectAsync();
            try {
                return future.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SignalingException("interrupted", "interrupted while connecting", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SignalingException) {
                    throw (SignalingException) e.getCause();
                }
                throw new SignalingException("connect-failed", rootMessage(e), e);
            } catch (TimeoutException e) {
                future.thenAccept(SignalingClient::close);
                throw new SignalingException("connect-failed", "no joined within 30 seconds", e);
            }
        }
    }
}
