package io.switchboard.signaling.protocol;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A decoded client-to-server message of signaling protocol v1.
 *
 * <p>{@link #requestId()} is the raw JSON text of the message's {@code id} (a string with its quotes, or an
 * integer), echoed unchanged in the reply.
 */
public sealed interface ClientMessage {

    Optional<String> requestId();

    /** {@code {"type":"join","room":...,"name":...,"token":...,"resume":...,"received":n}}. */
    record Join(Optional<String> requestId, String room, Optional<String> name, Optional<String> token,
                Optional<String> resume, OptionalLong received) implements ClientMessage {
    }

    /**
     * {@code {"type":"signal","to":...,"data":...}}; the data is kept as the raw JSON bytes
     * {@code source[dataStart, dataEnd)} so that relaying never re-serializes it.
     */
    record Signal(Optional<String> requestId, String to, byte[] source, int dataStart, int dataEnd)
            implements ClientMessage {
    }

    /** {@code {"type":"leave"}}. */
    record Leave(Optional<String> requestId) implements ClientMessage {
    }

    /** {@code {"type":"ping"}}. */
    record Ping(Optional<String> requestId) implements ClientMessage {
    }
}
