package io.switchboard.signaling;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Ephemeral TURN credentials in both forms that {@code GET /api/ice-servers} renders: the TURN REST API form
 * (draft-uberti-behave-turn-rest: username, password, ttl, uris) and the browser form ({@code iceServers}).
 *
 * @param username   the TURN REST username, {@code <expiry>:<user>}
 * @param password   the base64 HMAC-SHA1 password
 * @param ttl        how long the credentials stay valid (rendered in whole seconds)
 * @param uris       every STUN/TURN URI of the running listeners
 * @param iceServers the same servers grouped as a browser's {@code RTCConfiguration.iceServers}
 */
public record IceServers(String username, String password, Duration ttl, List<String> uris, List<IceServer> iceServers) {

    public IceServers {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(ttl, "ttl");
        uris = List.copyOf(uris);
        iceServers = List.copyOf(iceServers);
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative, got " + ttl);
        }
    }
}
