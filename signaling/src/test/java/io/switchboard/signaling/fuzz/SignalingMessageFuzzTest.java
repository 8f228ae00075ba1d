package io.switchboard.signaling.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.signaling.IceServersProvider;
import io.switchboard.signaling.SignalingConfig;
import io.switchboard.signaling.protocol.MessageDecoder;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.room.RoomDirectory;
import io.switchboard.signaling.room.Scheduler;
import io.switchboard.signaling.session.ClientSession;
import io.switchboard.signaling.session.SessionContext;
import io.switchboard.signaling.session.SignalingMetrics;
import io.switchboard.signaling.protocol.ErrorCode;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the signaling message parser and dispatcher behind real rooms: up to six sessions (each as a WebSocket or
 * SSE connection would drive it) send generated protocol v1 messages with fuzzed fields (rooms, names, peer ids seen
 * so far, resume tokens real and forged, a spoofed {@code from}, arbitrary {@code data} text) or raw bytes, binary
 * frames and oversize notices, disconnect and resume, while scheduled grace periods run out.
 *
 * <p>Oracles: nothing throws out of a session; the server never answers {@code internal-error}; every frame it sends
 * is a JSON object with a {@code type}; a relayed signal names as {@code from} a peer that exists, never a value a
 * client wrote; room and peer counts stay within capacity.
 */
class SignalingMessageFuzzTest {
    private static final AtomicLong EXECUTIONS = new AtomicLong();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CAPACITY = 4;

    @FuzzTest(maxDuration = "10s")
    void messages(FuzzedDataProvider data) throws IOException {
        EXECUTIONS.incrementAndGet();
        Harness harness = new Harness();
        int operations = data.consumeInt(1, 24);
        for (int i = 0; i < operations && data.remainingBytes() > 0; i++) {
            harness.step(data);
        }
        harness.closeAll();
        harness.check();
    }

    @AfterAll
    static void report() {
        System.out.println("fuzz executions SignalingMessageFuzzTest.messages: " + EXECUTIONS.get());
    }

    /** One server's rooms and up to six client sessions, with a scheduler the fuzzer runs by hand. */
    private static final class Harness {
        private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        private final List<Runnable> scheduled = new ArrayList<>();
        private final RoomDirectory directory;
        private final SessionContext context;
        private final List<Link> links = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();
        private final List<String> tokens = new ArrayList<>();

        Harness() {
            SignalingConfig config = SignalingConfig.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                    .roomCapacity(CAPACITY).resumeGrace(Duration.ofSeconds(5)).resumeBacklog(8)
                    .maxMessageBytes(4096).resumeBacklogBytes(8192).abuseLimit(8).messageRate(100).messageBurst(50)
                    .build();
            Scheduler scheduler = (delay, task) -> {
                scheduled.add(task);
                return () -> scheduled.remove(task);
            };
            directory = new RoomDirectory(config.roomCapacity(), config.resumeGrace(), config.resumeBacklog(),
                    config.resumeBacklogBytes(), scheduler, new RoomDirectory.Listener() { });
            SignalingMetrics metrics = new SignalingMetrics(registry);
            metrics.watch(directory);
            context = new SessionContext(config, new MessageDecoder(config.maxMessageBytes()), directory, metrics,
                    Optional.empty(), IceServersProvider.none());
        }

        void step(FuzzedDataProvider data) throws IOException {
            int op = data.consumeInt(0, 9);
            if (op == 0 || links.isEmpty()) {
                if (links.size() < 6) {
                    Link link = new Link();
                    link.session = new ClientSession(context, data.consumeBoolean()
                            ? SignalingMetrics.Transport.WS : SignalingMetrics.Transport.SSE, link, "fuzz");
                    links.add(link);
                }
                return;
            }
            Link link = links.get(data.consumeInt(0, links.size() - 1));
            switch (op) {
                case 1:
                    link.session.onText(data.consumeBytes(data.consumeInt(0, 300)));
                    break;
                case 2:
                    link.session.onBinary();
                    break;
                case 3:
                    link.session.onTooLarge(data.consumeLong(4097, Long.MAX_VALUE));
                    break;
                case 4:
                    link.session.onClosed(data.consumeBoolean(), "fuzz");
                    link.dead = true;
                    links.remove(link);
                    break;
                case 5:
                    runScheduled(data.consumeInt(0, 4));
                    break;
                default:
                    link.session.onText(message(data).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            for (Link each : List.copyOf(links)) {
                each.drain();
                if (each.closedByServer && !each.dead) {
                    // What the transport does when the server closes: the session ends (a leave after abuse).
                    each.session.onClosed(each.closeCode == ErrorCode.POLICY_VIOLATION, "server-close");
                    each.dead = true;
                    links.remove(each);
                }
            }
        }

        private void runScheduled(int count) {
            for (int i = 0; i < count && !scheduled.isEmpty(); i++) {
                scheduled.remove(0).run();
            }
        }

        /** A protocol v1 message with fuzzed content. */
        private String message(FuzzedDataProvider data) {
            StringBuilder json = new StringBuilder("{");
            String[] types = {"join", "signal", "leave", "ping", "pong", "joined", ""};
            int type = data.consumeInt(0, types.length);
            field(json, "type", type == types.length ? quote(data.consumeString(12)) : quote(types[type]));
            int fields = data.consumeInt(0, 7);
            for (int i = 0; i < fields; i++) {
                switch (data.consumeInt(0, 9)) {
                    case 0:
                        field(json, "room", quote(data.consumeBoolean() ? "room" + data.consumeInt(0, 2)
                                : data.consumeString(70)));
                        break;
                    case 1:
                        field(json, "name", quote(data.consumeString(80)));
                        break;
                    case 2:
                        field(json, "to", quote(pick(data, new ArrayList<>(ids))));
                        break;
                    case 3:
                        field(json, "from", quote(pick(data, new ArrayList<>(ids))));
                        break;
                    case 4:
                        field(json, "resume", quote(data.consumeBoolean() ? pick(data, tokens)
                                : pick(data, tokens) + data.consumeString(4)));
                        break;
                    case 5:
                        field(json, "id", data.consumeBoolean() ? quote(data.consumeString(70))
                                : Long.toString(data.consumeLong()));
                        break;
                    case 6:
                        field(json, "received", Long.toString(data.consumeLong(-1, 100)));
                        break;
                    case 7:
                        field(json, "token", quote(data.consumeString(40)));
                        break;
                    default:
                        field(json, "data", data.consumeBoolean() ? "{\"sdp\":" + quote(data.consumeString(100)) + "}"
                                : data.consumeString(120));
                }
            }
            return json.append(data.consumeBoolean() ? "}" : data.consumeString(3)).toString();
        }

        private static String pick(FuzzedDataProvider data, List<String> from) {
            return from.isEmpty() || data.consumeInt(0, 4) == 0 ? data.consumeString(20)
                    : from.get(data.consumeInt(0, from.size() - 1));
        }

        private static void field(StringBuilder json, String name, String value) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(name).append("\":").append(value);
        }

        private static String quote(String text) {
            try {
                return JSON.writeValueAsString(text);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void closeAll() throws IOException {
            for (Link link : List.copyOf(links)) {
                link.session.onClosed(false, "end");
                link.drain();
            }
            runScheduled(Integer.MAX_VALUE);
        }

        void check() {
            assertThat(registry.get("switchboard.signaling.errors").tag("code", "internal-error").counter().count())
                    .as("internal errors").isZero();
            assertThat(directory.peerCount()).as("peers after every grace period ran out").isZero();
            assertThat(directory.roomCount()).as("rooms after every peer left").isZero();
        }

        /** A connection as the room state sees it: records frames and whether the server closed it. */
        private final class Link implements PeerLink {
            private final List<byte[]> frames = new ArrayList<>();
            ClientSession session;
            boolean closedByServer;
            ErrorCode closeCode;
            boolean dead;

            @Override
            public synchronized void send(byte[] frame) {
                frames.add(frame);
            }

            @Override
            public synchronized void close(ErrorCode code, String message) {
                closedByServer = true;
                closeCode = code;
            }

            synchronized void drain() throws IOException {
                for (byte[] frame : frames) {
                    JsonNode message = JSON.readTree(frame);
                    assertThat(message.isObject()).as("a server frame is a JSON object").isTrue();
                    String type = message.path("type").asText();
                    assertThat(type).as("a server frame has a type").isNotEmpty();
                    if (type.equals("joined")) {
                        ids.add(message.path("id").asText());
                        tokens.add(message.path("resume").asText());
                        assertThat(message.path("peers").size()).isLessThan(CAPACITY);
                    } else if (type.equals("signal")) {
                        assertThat(ids).as("a relayed signal comes from a real peer").contains(message.path("from").asText());
                    }
                }
                frames.clear();
            }
        }
    }
}
