package io.switchboard.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.signaling.IceServersProvider;
import io.switchboard.signaling.SignalingConfig;
import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.protocol.MessageDecoder;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.room.RoomDirectory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A server that drains refuses every join, fresh or resumed, with {@code draining}. */
class DrainingJoinTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A link that keeps what the session sends. */
    private static final class RecordingLink implements PeerLink {
        final List<JsonNode> sent = new CopyOnWriteArrayList<>();

        @Override
        public void send(byte[] frame) {
            try {
                sent.add(JSON.readTree(frame));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close(ErrorCode code, String message) {
        }
    }

    @Test
    void joinsAreRefusedWithDrainingOnceTheServerDrains() {
        SignalingConfig config = SignalingConfig.defaults();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SignalingMetrics metrics = new SignalingMetrics(registry);
        RoomDirectory directory = new RoomDirectory(8, config.resumeGrace(), 10, 1 << 20,
                (delay, task) -> () -> { }, new RoomDirectory.Listener() { });
        Admission admission = new Admission();
        SessionContext context = new SessionContext(config, new MessageDecoder(config.maxMessageBytes()), directory,
                metrics, Optional.empty(), IceServersProvider.none(), Optional.empty(), admission);
        RecordingLink before = new RecordingLink();
        RecordingLink after = new RecordingLink();

        new ClientSession(context, SignalingMetrics.Transport.WS, before, "test")
                .onText("{\"type\":\"join\",\"room\":\"r\",\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8));
        admission.startDraining();
        new ClientSession(context, SignalingMetrics.Transport.WS, after, "test")
                .onText("{\"type\":\"join\",\"room\":\"r\",\"id\":\"2\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(before.sent).extracting(m -> m.path("type").asText()).containsExactly("joined");
        assertThat(after.sent).hasSize(1);
        assertThat(after.sent.get(0).path("type").asText()).isEqualTo("error");
        assertThat(after.sent.get(0).path("code").asText()).isEqualTo("draining");
        assertThat(after.sent.get(0).path("id").asText()).isEqualTo("2");
        assertThat(directory.peerCount()).isEqualTo(1);
        assertThat(registry.get("switchboard.signaling.errors").tag("code", "draining").counter().count()).isEqualTo(1);
    }
}
