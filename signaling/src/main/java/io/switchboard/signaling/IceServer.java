package io.switchboard.signaling;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a browser's {@code RTCConfiguration.iceServers}: URLs and, for TURN, the credentials.
 *
 * @param urls       {@code stun:}, {@code turn:} or {@code turns:} URIs (RFC 7064, RFC 7065); at least one
 * @param username   the TURN username, absent for STUN
 * @param credential the TURN password, absent for STUN
 */
public record IceServer(List<String> urls, Optional<String> username, Optional<String> credential) {

    public IceServer {
        urls = List.copyOf(urls);
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(credential, "credential");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
    }

    /** A STUN entry (no credentials). */
    public static IceServer stun(List<String> urls) {
        return new IceServer(urls, Optional.empty(), Optional.empty());
    }

    /** A TURN entry with its credentials. */
    public static IceServer turn(List<String> urls, String username, String credential) {
        return new IceServer(urls, Optional.of(username), Optional.of(credential));
    }
}
