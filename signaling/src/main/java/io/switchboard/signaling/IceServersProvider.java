package io.switchboard.signaling;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Supplies the ICE servers and fresh TURN credentials for {@code GET /api/ice-servers} and for every
 * {@code joined} message; implemented by the application, which knows the TURN listeners and the shared secret.
 *
 * <p>Called on a network thread for every request and join: it must be fast and must not block.
 */
@FunctionalInterface
public interface IceServersProvider {

    /**
     * Credentials for {@code user}: the {@code ?user=} of {@code /api/ice-servers} (already checked to be
     * 1-64 characters of {@code [A-Za-z0-9_.@-]}), or the peer id for {@code joined}; empty when none was given.
     */
    IceServers iceServers(Optional<String> user);

    /** A provider without any ICE server, for tests and signaling-only deployments. */
    static IceServersProvider none() {
        IceServers empty = new IceServers("", "", Duration.ZERO, List.of(), List.of());
        return user -> empty;
    }
}
