package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A dropped peer keeps its id and room for the grace period and gets back every message it missed. */
class ResumeTest {
    private TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private static String signal(String to, int seq) {
        return "{\"type\":\"signal\",\"to\":\"" + to + "\",\"data\":{\"seq\":" + seq + "}}";
    }

    private static String resume(String room, TestServer.Member member, String extra) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\",\"resume\":\"" + member.resume() + "\"" + extra + "}";
    }

    private void awaitWebSocketConnections(int count) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.gauge("switchboard.signaling.connections", "transport", "ws") == count);
    }

    @Test
    void killedConnectionResumesWithItsIdAndGetsEveryMissedSignalInOrder() {
        server = TestServer.start();
        TestServer.Member alice = server.join("call", "Alice");
        TestServer.Member bob = server.join("call", "Bob");
        alice.socket().next("peer-joined");
        for (int i = 0; i < 3; i++) {
            alice.socket().sendText(signal(bob.id(), i));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(bob.socket().next("signal").path("data").path("seq").asInt()).isEqualTo(i);
        }
        bob.socket().sendText(signal(alice.id(), 500));
        bob.socket().sendText(signal(alice.id(), 501));
        assertThat(alice.socket().next("signal").path("data").path("seq").asInt()).isEqualTo(500);
        assertThat(alice.socket().next("signal").path("data").path("seq").asInt()).isEqualTo(501);

        bob.socket().abort();
        for (int i = 3; i < 200; i++) {
            alice.socket().sendText(signal(bob.id(), i));
        }
        alice.socket().sync("sent");

        TestSocket again = server.connect();
        again.sendText(resume("call", bob, ",\"received\":3"));
        JsonNode joined = again.next("joined");
        assertThat(joined.path("id").asText()).isEqualTo(bob.id());
        assertThat(joined.path("resumed").asBoolean()).isTrue();
        assertThat(joined.path("received").asLong()).as("signals the server accepted from bob").isEqualTo(2);
        assertThat(RoomProtocolTest.ids(joined.path("peers"))).containsExactly(alice.id());
        for (int i = 3; i < 200; i++) {
            JsonNode signal = again.next("signal");
            assertThat(signal.path("from").asText()).isEqualTo(alice.id());
            assertThat(signal.path("data").path("seq").asInt()).isEqualTo(i);
        }
        again.sendText(signal(alice.id(), 1000));
        assertThat(alice.socket().next("signal").path("data").path("seq").asInt()).isEqualTo(1000);
        alice.socket().sync("done");
        assertThat(alice.socket().pending()).as("alice saw no peer-left").isEmpty();
        assertThat(server.counter("switchboard.signaling.resumes", "outcome", "resumed")).isEqualTo(1.0);
    }

    @Test
    void withoutAReceivedCountResumeDeliversWhatWasQueuedAfterTheDrop() {
        server = TestServer.start();
        TestServer.Member alice = server.join("q", "Alice");
        TestServer.Member bob = server.join("q", "Bob");
        alice.socket().next("peer-joined");
        bob.socket().abort();
        awaitWebSocketConnections(1);
        for (int i = 0; i < 5; i++) {
            alice.socket().sendText(signal(bob.id(), i));
        }
        alice.socket().sync("sent");
        assertThat(alice.socket().pending()).isEmpty();

        TestSocket again = server.connect();
        again.sendText(resume("q", bob, ""));
        assertThat(again.next("joined").path("id").asText()).isEqualTo(bob.id());
        for (int i = 0; i < 5; i++) {
            assertThat(again.next("signal").path("data").path("seq").asInt()).isEqualTo(i);
        }
        again.sync("end");
        assertThat(again.pending()).isEmpty();
    }

    @Test
    void peerLeftFollowsWhenTheGracePeriodExpires() {
        server = TestServer.start(TestServer.config().resumeGrace(Duration.ofMillis(300)));
        TestServer.Member alice = server.join("grace", "Alice");
        TestServer.Member bob = server.join("grace", "Bob");
        alice.socket().next("peer-joined");
        bob.socket().abort();
        assertThat(alice.socket().next("peer-left").path("id").asText()).isEqualTo(bob.id());

        TestSocket late = server.connect();
        late.sendText(resume("grace", bob, ""));
        JsonNode error = late.next("error");
        assertThat(error.path("code").asText()).isEqualTo("resume-failed");
        assertThat(server.counter("switchboard.signaling.resumes", "outcome", "failed")).isEqualTo(1.0);
    }

    @Test
    void aResumedConnectionTakesOverReplaysAfterTheReceivedCountAndTheOldOneIsClosed() {
        server = TestServer.start();
        TestServer.Member alice = server.join("takeover", "Alice");
        TestServer.Member bob = server.join("takeover", "Bob");
        alice.socket().next("peer-joined");
        for (int i = 0; i < 3; i++) {
            alice.socket().sendText(signal(bob.id(), i));
            bob.socket().next("signal");
        }

        // bob's client got only the first signal before its network failed, so it says received 1
        TestSocket second = server.connect();
        second.sendText(resume("takeover", bob, ",\"received\":1"));
        assertThat(second.next("joined").path("id").asText()).isEqualTo(bob.id());
        assertThat(second.next("signal").path("data").path("seq").asInt()).isEqualTo(1);
        assertThat(second.next("signal").path("data").path("seq").asInt()).isEqualTo(2);
        JsonNode replaced = bob.socket().next("error");
        assertThat(replaced.path("code").asText()).isEqualTo("session-replaced");
        assertThat(bob.socket().awaitClose()).isEqualTo(4000);

        alice.socket().sendText(signal(bob.id(), 9));
        assertThat(second.next("signal").path("data").path("seq").asInt()).isEqualTo(9);
        alice.socket().sync("x");
        assertThat(alice.socket().pending()).isEmpty();
    }

    @Test
    void deadConnectionIsDetectedByPingsAndThePeerCanResume() {
        server = TestServer.start(TestServer.config().pingInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofMillis(400)));
        TestServer.Member alice = server.join("dead", "Alice");
        TestServer.Member bob = server.join("dead", "Bob");
        alice.socket().next("peer-joined");
        bob.socket().answerPings(false);
        assertThat(bob.socket().awaitClose()).isEqualTo(-1);
        assertThat(bob.socket().pingsReceived()).isGreaterThan(0);
        awaitWebSocketConnections(1);
        assertThat(server.server.peerCount()).as("bob keeps his place during the grace period").isEqualTo(2);

        TestSocket again = server.connect();
        again.sendText(resume("dead", bob, ""));
        assertThat(again.next("joined").path("id").asText()).isEqualTo(bob.id());
        alice.socket().sync("alive");
        assertThat(alice.socket().pending()).isEmpty();
    }

    @Test
    void anAnsweringClientIsNotDroppedForSilence() {
        server = TestServer.start(TestServer.config().pingInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofSeconds(1)));
        TestServer.Member alice = server.join("quiet", "Alice");
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.socket().pingsReceived() >= 15);
        assertThat(alice.socket().isClosed()).isFalse();
        alice.socket().sync("still-here");
    }

    @Test
    void backlogOverflowMakesThePeerLeave() {
        server = TestServer.start(TestServer.config().resumeBacklog(10));
        TestServer.Member alice = server.join("flood", "Alice");
        TestServer.Member bob = server.join("flood", "Bob");
        alice.socket().next("peer-joined");
        bob.socket().abort();
        awaitWebSocketConnections(1);
        for (int i = 0; i < 11; i++) {
            alice.socket().sendText(signal(bob.id(), i));
        }
        JsonNode next = alice.socket().next();
        if (next.path("type").asText().equals("error")) {
            assertThat(next.path("code").asText()).isEqualTo("unknown-peer");
            next = alice.socket().next();
        }
        assertThat(next.path("type").asText()).isEqualTo("peer-left");
        assertThat(next.path("id").asText()).isEqualTo(bob.id());

        TestSocket again = server.connect();
        again.sendText(resume("flood", bob, ""));
        assertThat(again.next("error").path("code").asText()).isEqualTo("resume-failed");
    }

    @Test
    void resumeIsRefusedForAnotherRoomOrAForgedToken() {
        server = TestServer.start();
        TestServer.Member bob = server.join("mine", "Bob");
        TestSocket other = server.connect();
        other.sendText(resume("theirs", bob, ""));
        assertThat(other.next("error").path("message").asText()).contains("another room");
        String forged = bob.id() + ".AAAAAAAAAAAAAAAAAAAAAAAA";
        other.sendText("{\"type\":\"join\",\"room\":\"mine\",\"resume\":\"" + forged + "\"}");
        assertThat(other.next("error").path("code").asText()).isEqualTo("resume-failed");
        bob.socket().sync("untouched");
        assertThat(bob.socket().pending()).isEmpty();
    }

    @Test
    void aReceivedCountBeyondWhatWasSentFailsTheResume() {
        server = TestServer.start();
        TestServer.Member alice = server.join("count", "Alice");
        TestServer.Member bob = server.join("count", "Bob");
        alice.socket().next("peer-joined");
        bob.socket().abort();
        TestSocket again = server.connect();
        again.sendText(resume("count", bob, ",\"received\":5"));
        JsonNode error = again.next("error");
        assertThat(error.path("code").asText()).isEqualTo("resume-failed");
        assertThat(error.path("message").asText()).contains("received 5");
        assertThat(alice.socket().next("peer-left").path("id").asText()).isEqualTo(bob.id());
    }
}
