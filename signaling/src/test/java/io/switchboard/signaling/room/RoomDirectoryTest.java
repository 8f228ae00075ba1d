package io.switchboard.signaling.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.signaling.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Room state without any network: membership, backlog bounds and resume rules. */
class RoomDirectoryTest {
    private final List<Runnable> scheduled = new ArrayList<>();
    private final Scheduler scheduler = (delay, task) -> {
        scheduled.add(task);
        return () -> scheduled.remove(task);
    };

    /** Records what would have been written to a connection. */
    private static final class RecordingLink implements PeerLink {
        final List<String> frames = new ArrayList<>();
        ErrorCode closedWith;

        @Override
        public synchronized void send(byte[] frame) {
            frames.add(new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public synchronized void close(ErrorCode code, String message) {
            closedWith = code;
        }
    }

    private static final RoomDirectory.Welcome WELCOME = (self, others, resumed) ->
            ("welcome " + self.id() + " resumed=" + resumed + " others=" + others.size()).getBytes(StandardCharsets.UTF_8);

    private RoomDirectory directory(int backlog) {
        return new RoomDirectory(4, Duration.ofSeconds(20), backlog, 1 << 20, scheduler, new RoomDirectory.Listener() { });
    }

    private static byte[] frame(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void replaysEverythingAfterTheReceivedCountFromTheRetainedWindow() {
        RoomDirectory rooms = directory(16);
        RecordingLink first = new RecordingLink();
        Peer bob = rooms.join("r", "Bob", first, WELCOME).peer();
        for (int i = 1; i <= 5; i++) {
            assertThat(rooms.deliver(bob, frame("m" + i))).isTrue();
        }
        assertThat(first.frames).containsExactly("welcome " + bob.id() + " resumed=false others=0", "m1", "m2", "m3", "m4", "m5");

        rooms.disconnected(bob, first);
        rooms.deliver(bob, frame("m6"));
        RecordingLink second = new RecordingLink();
        RoomDirectory.Outcome outcome = rooms.resume("r", RoomDirectory.resumeToken(bob), OptionalLong.of(2), second, WELCOME);
        assertThat(outcome.succeeded()).isTrue();
        assertThat(second.frames).containsExactly("welcome " + bob.id() + " resumed=true others=0", "m3", "m4", "m5", "m6");
        assertThat(scheduled).as("the grace timer was cancelled").isEmpty();
    }

    @Test
    void aResumeFromBeforeTheRetainedWindowFailsAndThePeerLeaves() {
        RoomDirectory rooms = directory(3);
        RecordingLink aliceLink = new RecordingLink();
        rooms.join("r", "Alice", aliceLink, WELCOME);
        RecordingLink first = new RecordingLink();
        Peer bob = rooms.join("r", "Bob", first, WELCOME).peer();
        for (int i = 1; i <= 10; i++) {
            rooms.deliver(bob, frame("m" + i));
        }
        rooms.disconnected(bob, first);
        RoomDirectory.Outcome outcome = rooms.resume("r", RoomDirectory.resumeToken(bob), OptionalLong.of(2), new RecordingLink(), WELCOME);
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.error()).isEqualTo(ErrorCode.RESUME_FAILED);
        assertThat(outcome.message()).isEqualTo("messages after 2 are no longer kept");
        assertThat(aliceLink.frames).last().asString().contains("peer-left").contains(bob.id());
        assertThat(rooms.peerCount()).isEqualTo(1);
    }

    @Test
    void onlyTheLatestDetachCanExpireThePeer() {
        RoomDirectory rooms = directory(16);
        RecordingLink first = new RecordingLink();
        Peer bob = rooms.join("r", "Bob", first, WELCOME).peer();
        rooms.disconnected(bob, first);
        Runnable firstExpiry = scheduled.get(0);
        RecordingLink second = new RecordingLink();
        assertThat(rooms.resume("r", RoomDirectory.resumeToken(bob), OptionalLong.empty(), second, WELCOME).succeeded()).isTrue();
        rooms.disconnected(bob, second);
        Runnable secondExpiry = scheduled.get(scheduled.size() - 1);

        firstExpiry.run();
        assertThat(rooms.peerCount()).isEqualTo(1);
        secondExpiry.run();
        assertThat(rooms.peerCount()).isZero();
        assertThat(rooms.roomCount()).as("the empty room is removed").isZero();
    }

    @Test
    void aLinkThatWasReplacedCannotDetachOrLeaveThePeer() {
        RoomDirectory rooms = directory(16);
        RecordingLink old = new RecordingLink();
        Peer bob = rooms.join("r", "Bob", old, WELCOME).peer();
        RecordingLink fresh = new RecordingLink();
        rooms.resume("r", RoomDirectory.resumeToken(bob), OptionalLong.empty(), fresh, WELCOME);
        assertThat(old.closedWith).isEqualTo(ErrorCode.SESSION_REPLACED);
        rooms.disconnected(bob, old);
        assertThat(scheduled).isEmpty();
        assertThat(rooms.leave(bob, old, "closed")).isFalse();
        assertThat(bob.isLinkedTo(fresh)).isTrue();
    }

    @Test
    void overflowWhileDetachedSchedulesTheLeaveAndRefusesFurtherMessages() {
        RoomDirectory rooms = directory(2);
        RecordingLink link = new RecordingLink();
        Peer bob = rooms.join("r", "Bob", link, WELCOME).peer();
        rooms.disconnected(bob, link);
        assertThat(rooms.deliver(bob, frame("a"))).isTrue();
        assertThat(rooms.deliver(bob, frame("b"))).isTrue();
        assertThat(rooms.deliver(bob, frame("c"))).isFalse();
        assertThat(rooms.deliver(bob, frame("d"))).isFalse();
        scheduled.get(scheduled.size() - 1).run();
        assertThat(rooms.peerCount()).isZero();
    }

    @Test
    void aFullRoomRefusesAndAnEmptiedRoomCanBeJoinedAgain() {
        RoomDirectory rooms = directory(16);
        List<Peer> peers = new ArrayList<>();
        List<RecordingLink> links = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RecordingLink link = new RecordingLink();
            links.add(link);
            peers.add(rooms.join("r", "p" + i, link, WELCOME).peer());
        }
        RoomDirectory.Outcome full = rooms.join("r", "late", new RecordingLink(), WELCOME);
        assertThat(full.error()).isEqualTo(ErrorCode.ROOM_FULL);
        for (int i = 0; i < 4; i++) {
            assertThat(rooms.leave(peers.get(i), links.get(i), "leave")).isTrue();
        }
        assertThat(rooms.roomCount()).isZero();
        assertThat(rooms.join("r", "again", new RecordingLink(), WELCOME).succeeded()).isTrue();
        assertThat(rooms.roomCount()).isEqualTo(1);
    }
}
