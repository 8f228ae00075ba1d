package io.switchboard.signaling.session;

import io.switchboard.signaling.IceServersProvider;
import io.switchboard.signaling.SignalingConfig;
import io.switchboard.signaling.SignalingTokens;
import io.switchboard.signaling.protocol.MessageDecoder;
import io.switchboard.signaling.room.RoomDirectory;
import java.util.Optional;

/** What every session of one server shares. */
public record SessionContext(SignalingConfig config, MessageDecoder decoder, RoomDirectory directory,
                             SignalingMetrics metrics, Optional<SignalingTokens> tokens, IceServersProvider iceServers) {
}
