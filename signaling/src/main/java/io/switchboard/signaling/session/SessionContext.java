package io.switchboard.signaling.session;

import io.switchboard.signaling.IceServersProvider;
import io.switchboard.signaling.SignalingConfig;
import io.switchboard.signaling.SignalingTokens;
import io.switchboard.signaling.cluster.ClusterDirectory;
import io.switchboard.signaling.protocol.MessageDecoder;
import io.switchboard.signaling.room.RoomDirectory;
import java.util.Optional;

/**
 * What every session of one server shares. With {@code cluster} present the rooms live in Redis and
 * {@code directory} is unused; {@code admission} says whether joins are still admitted.
 */
public record SessionContext(SignalingConfig config, MessageDecoder decoder, RoomDirectory directory,
                             SignalingMetrics metrics, Optional<SignalingTokens> tokens, IceServersProvider iceServers,
                             Optional<ClusterDirectory> cluster, Admission admission) {

    /** A context that admits joins for as long as it lives (a server passes its own {@link Admission}). */
    public SessionContext(SignalingConfig config, MessageDecoder decoder, RoomDirectory directory, SignalingMetrics metrics,
                          Optional<SignalingTokens> tokens, IceServersProvider iceServers,
                          Optional<ClusterDirectory> cluster) {
        this(config, decoder, directory, metrics, tokens, iceServers, cluster, new Admission());
    }

    /** A standalone server's context: rooms in memory. */
    public SessionContext(SignalingConfig config, MessageDecoder decoder, RoomDirectory directory, SignalingMetrics metrics,
                          Optional<SignalingTokens> tokens, IceServersProvider iceServers) {
        this(config, decoder, directory, metrics, tokens, iceServers, Optional.empty());
    }
}
