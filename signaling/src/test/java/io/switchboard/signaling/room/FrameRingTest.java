package io.switchboard.signaling.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed backlog ring against a plain deque of arrays, across wrap-around and growth. */
class FrameRingTest {

    @Test
    void keepsFramesInOrderAcrossWrapAroundAndGrowth() {
        FrameRing ring = new FrameRing();
        ArrayDeque<byte[]> expected = new ArrayDeque<>();
        Random random = new Random(7);
        for (int step = 0; step < 20_000; step++) {
            if (expected.isEmpty() || random.nextInt(3) > 0) {
                byte[] frame = new byte[random.nextInt(random.nextInt(10) == 0 ? 3000 : 90)];
                random.nextBytes(frame);
                ring.addLast(frame);
                expected.addLast(frame);
            } else {
                assertThat(ring.removeFirst()).isEqualTo(expected.removeFirst().length);
            }
            while (expected.size() > 40) {
                assertThat(ring.removeFirst()).isEqualTo(expected.removeFirst().length);
            }
            assertThat(ring.size()).isEqualTo(expected.size());
            assertThat(ring.payloadBytes()).isEqualTo(expected.stream().mapToLong(f -> f.length).sum());
        }
        List<byte[]> all = new ArrayList<>();
        ring.forEachAfter(0, all::add);
        assertThat(all).containsExactlyElementsOf(expected);
    }

    @Test
    void givesOnlyTheFramesAfterTheSkippedOnes() {
        FrameRing ring = new FrameRing();
        for (String frame : List.of("a", "bb", "", "dddd")) {
            ring.addLast(frame.getBytes(StandardCharsets.US_ASCII));
        }
        List<String> after = new ArrayList<>();
        ring.forEachAfter(2, f -> after.add(new String(f, StandardCharsets.US_ASCII)));
        assertThat(after).containsExactly("", "dddd");
    }
}
