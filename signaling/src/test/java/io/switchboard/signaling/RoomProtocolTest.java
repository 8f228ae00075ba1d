package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rooms and relay of signaling protocol v1 over real WebSocket connections. */
class RoomProtocolTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(TestServer.config().roomCapacity(3));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void joinListsExistingPeersToTheNewcomerAndAnnouncesItToThem() {
        TestServer.Member alice = server.join("lobby", "Alice");
        assertThat(alice.joined().path("room").asText()).isEqualTo("lobby");
        assertThat(alice.id()).matches("[A-Za-z0-9_-]{8,32}");
        assertThat(alice.joined().path("peers")).isEmpty();
        assertThat(alice.resume()).isNotBlank();
        assertThat(alice.joined().path("iceServers").isArray()).isTrue();

        TestServer.Member bob = server.join("lobby", "Bob");
        assertThat(bob.id()).isNotEqualTo(alice.id());
        JsonNode peers = bob.joined().path("peers");
        assertThat(peers).hasSize(1);
        assertThat(peers.get(0).path("id").asText()).isEqualTo(alice.id());
        assertThat(peers.get(0).path("name").asText()).isEqualTo("Alice");

        JsonNode announced = alice.socket().next("peer-joined");
        assertThat(announced.path("peer").path("id").asText()).isEqualTo(bob.id());
        assertThat(announced.path("peer").path("name").asText()).isEqualTo("Bob");
        assertThat(server.server.roomCount()).isEqualTo(1);
        assertThat(server.server.peerCount()).isEqualTo(2);
    }

    @Test
    void relaysSignalWithTheSenderIdSetByTheServer() {
        TestServer.Member alice = server.join("r1", "Alice");
        TestServer.Member bob = server.join("r1", "Bob");
        alice.socket().next("peer-joined");

        alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + bob.id() + "\",\"data\":{\"sdp\":\"v=0\\r\\n\",\"n\":[1,2.5,null,true]}}");
        JsonNode signal = bob.socket().next("signal");
        assertThat(signal.path("from").asText()).isEqualTo(alice.id());
        assertThat(signal.path("data").path("sdp").asText()).isEqualTo("v=0\r\n");
        assertThat(signal.path("data").path("n").toString()).isEqualTo("[1,2.5,null,true]");
        alice.socket().sync("counted");
        assertThat(server.counter("switchboard.signaling.messages.relayed", null, null)).isEqualTo(1.0);
    }

    @Test
    void ignoresAClientSuppliedFromAndRelaysWithTheRealSender() {
        TestServer.Member alice = server.join("r2", "Alice");
        TestServer.Member bob = server.join("r2", "Bob");
        TestServer.Member mallory = server.join("r2", "Mallory");

        mallory.socket().sendText("{\"from\":\"" + alice.id() + "\",\"type\":\"signal\",\"to\":\"" + bob.id()
                + "\",\"data\":\"trust me\",\"from\":\"x\"}");
        // a duplicate field is refused as bad-message; the single-from variant is relayed with the real sender
        mallory.socket().next("error");
        mallory.socket().sendText("{\"from\":\"" + alice.id() + "\",\"type\":\"signal\",\"to\":\"" + bob.id()
                + "\",\"data\":\"trust me\"}");
        bob.socket().next("peer-joined");
        JsonNode signal = bob.socket().next("signal");
        assertThat(signal.path("from").asText()).isEqualTo(mallory.id());
        assertThat(signal.path("data").asText()).isEqualTo("trust me");
    }

    @Test
    void signalToAnUnknownPeerIsAnErrorWithTheRequestId() {
        TestServer.Member alice = server.join("r3", "Alice");
        alice.socket().sendText("{\"type\":\"signal\",\"to\":\"nobody\",\"data\":1,\"id\":42}");
        JsonNode error = alice.socket().next("error");
        assertThat(error.path("code").asText()).isEqualTo("unknown-peer");
        assertThat(error.path("id").asInt()).isEqualTo(42);
        assertThat(error.path("peer").asText()).isEqualTo("nobody");
        assertThat(server.counter("switchboard.signaling.errors", "code", "unknown-peer")).isEqualTo(1.0);
    }

    @Test
    void signalToAPeerInAnotherRoomIsAnUnknownPeer() {
        TestServer.Member alice = server.join("room-a", "Alice");
        TestServer.Member bob = server.join("room-b", "Bob");
        alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + bob.id() + "\",\"data\":1}");
        assertThat(alice.socket().next("error").path("code").asText()).isEqualTo("unknown-peer");
        bob.socket().sync("b");
        assertThat(bob.socket().pending()).isEmpty();
    }

    @Test
    void acknowledgesASignalThatCarriesAnId() {
        TestServer.Member alice = server.join("r4", "Alice");
        TestServer.Member bob = server.join("r4", "Bob");
        alice.socket().sendText("{\"type\":\"signal\",\"to\":\"" + bob.id() + "\",\"data\":{},\"id\":\"s-1\"}");
        alice.socket().next("peer-joined");
        JsonNode ack = alice.socket().next("ack");
        assertThat(ack.path("id").asText()).isEqualTo("s-1");
    }

    @Test
    void refusesAJoinBeyondTheRoomCapacity() {
        server.join("full", "1");
        server.join("full", "2");
        server.join("full", "3");
        TestSocket fourth = server.connect();
        fourth.sendText("{\"type\":\"join\",\"room\":\"full\",\"id\":\"j\"}");
        JsonNode error = fourth.next("error");
        assertThat(error.path("code").asText()).isEqualTo("room-full");
        assertThat(error.path("id").asText()).isEqualTo("j");
        // the connection stays usable: it can join another room
        fourth.sendText("{\"type\":\"join\",\"room\":\"other\"}");
        fourth.next("joined");
    }

    @Test
    void leaveAnnouncesPeerLeftAndRemovesTheEmptyRoom() {
        TestServer.Member alice = server.join("bye", "Alice");
        TestServer.Member bob = server.join("bye", "Bob");
        alice.socket().next("peer-joined");

        bob.socket().sendText("{\"type\":\"leave\",\"id\":7}");
        JsonNode left = bob.socket().next("left");
        assertThat(left.path("room").asText()).isEqualTo("bye");
        assertThat(left.path("id").asInt()).isEqualTo(7);
        assertThat(alice.socket().next("peer-left").path("id").asText()).isEqualTo(bob.id());

        alice.socket().sendText("{\"type\":\"leave\"}");
        alice.socket().next("left");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.server.roomCount() == 0);
        assertThat(server.server.peerCount()).isZero();
        // after leaving, signals are refused and a new join is possible
        bob.socket().sendText("{\"type\":\"signal\",\"to\":\"" + alice.id() + "\",\"data\":1}");
        assertThat(bob.socket().next("error").path("code").asText()).isEqualTo("not-joined");
        bob.socket().sendText("{\"type\":\"join\",\"room\":\"bye\"}");
        assertThat(bob.socket().next("joined").path("peers")).isEmpty();
    }

    @Test
    void closingTheWebSocketCleanlyLeavesAtOnce() {
        TestServer.Member alice = server.join("clean", "Alice");
        TestServer.Member bob = server.join("clean", "Bob");
        alice.socket().next("peer-joined");
        bob.socket().sendClose(1000);
        assertThat(bob.socket().awaitClose()).isEqualTo(1000);
        assertThat(alice.socket().next("peer-left").path("id").asText()).isEqualTo(bob.id());
    }

    @Test
    void aSecondJoinOnOneConnectionIsAlreadyJoined() {
        TestServer.Member alice = server.join("twice", "Alice");
        alice.socket().sendText("{\"type\":\"join\",\"room\":\"elsewhere\",\"id\":\"again\"}");
        JsonNode error = alice.socket().next("error");
        assertThat(error.path("code").asText()).isEqualTo("already-joined");
        assertThat(error.path("id").asText()).isEqualTo("again");
    }

    @Test
    void signalAndLeaveBeforeJoinAreNotJoined() {
        TestSocket socket = server.connect();
        socket.sendText("{\"type\":\"signal\",\"to\":\"x\",\"data\":1}");
        assertThat(socket.next("error").path("code").asText()).isEqualTo("not-joined");
        socket.sendText("{\"type\":\"leave\"}");
        assertThat(socket.next("error").path("code").asText()).isEqualTo("not-joined");
    }

    @Test
    void refusesInvalidRoomNames() {
        TestSocket socket = server.connect();
        for (String room : List.of("", "a b", "x".repeat(65), "caf\u00e9", "../etc")) {
            socket.sendText("{\"type\":\"join\",\"room\":" + TestSocket.JSON.valueToTree(room) + "}");
            assertThat(socket.next("error").path("code").asText()).as(room).isEqualTo("invalid-room");
        }
        socket.sendText("{\"type\":\"join\",\"room\":\"" + "A-z_9".repeat(12) + "abcd\"}");
        socket.next("joined");
    }

    @Test
    void refusesOverlongDisplayNames() {
        TestSocket socket = server.connect();
        socket.sendText("{\"type\":\"join\",\"room\":\"names\",\"name\":\"" + "n".repeat(65) + "\"}");
        JsonNode error = socket.next("error");
        assertThat(error.path("code").asText()).isEqualTo("bad-message");
        assertThat(error.path("message").asText()).contains("name");
    }

    @Test
    void pingIsAnsweredWithPongCarryingTheSameId() {
        TestSocket socket = server.connect();
        socket.sendText("{\"type\":\"ping\",\"id\":\"p1\"}");
        assertThat(socket.next("pong").path("id").asText()).isEqualTo("p1");
        socket.sendText("{\"type\":\"ping\"}");
        assertThat(socket.next("pong").has("id")).isFalse();
    }

    @Test
    void countsWebSocketConnectionsInTheGauge() {
        TestSocket a = server.connect();
        TestSocket b = server.connect();
        a.sync("a");
        b.sync("b");
        assertThat(server.gauge("switchboard.signaling.connections", "transport", "ws")).isEqualTo(2.0);
        a.abort();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.gauge("switchboard.signaling.connections", "transport", "ws") == 1.0);
        b.close();
    }

    static List<String> ids(JsonNode peers) {
        return StreamSupport.stream(peers.spliterator(), false).map(p -> p.path("id").asText()).toList();
    }
}
