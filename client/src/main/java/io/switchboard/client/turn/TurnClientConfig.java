package io.switchboard.client.turn;

import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a {@link TurnClient} talks to its server.
 *
 * @param server     the TURN server
 * @param transport  UDP, TCP, or TLS (TCP with {@code sslContext})
 * @param username   long-term or TURN REST username
 * @param password   its password
 * @param timeout    how long one transaction may take, retransmissions included
 * @param sha256     sign with MESSAGE-INTEGRITY-SHA256 (and the SHA-256 password algorithm when the server offers it,
 *                   RFC 8489 §9.2) instead of MESSAGE-INTEGRITY
 * @param sslContext client TLS context, required for {@link Transport#TLS}
 */
public record TurnClientConfig(InetSocketAddress server, Transport transport, String username, String password,
                               Duration timeout, boolean sha256, Optional<SslContext> sslContext) {
    /** The transport between client and server. */
    public enum Transport { UDP, TCP, TLS }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public TurnClientConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(sslContext, "sslContext");
        if (transport == Transport.TLS && sslContext.isEmpty()) {
            throw new IllegalArgumentException("TLS needs an SslContext");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** UDP with the default timeout and MESSAGE-INTEGRITY (SHA-1). */
    public static TurnClientConfig udp(InetSocketAddress server, String username, String password) {
        return new TurnClientConfig(server, Transport.UDP, username, password, DEFAULT_TIMEOUT, false, Optional.empty());
    }

    /** TCP with the default timeout and MESSAGE-INTEGRITY (SHA-1). */
    public static TurnClientConfig tcp(InetSocketAddress server, String username, String password) {
        return new TurnClientConfig(server, Transport.TCP, username, password, DEFAULT_TIMEOUT, false, Optional.empty());
    }

    /** TLS over TCP. */
    public static TurnClientConfig tls(InetSocketAddress server, String username, String password, SslContext context) {
        return new TurnClientConfig(server, Transport.TLS, username, password, DEFAULT_TIMEOUT, false, Optional.of(context));
    }

    public TurnClientConfig withTimeout(Duration value) {
        return new TurnClientConfig(server, transport, username, password, value, sha256, sslContext);
    }

    public TurnClientConfig withSha256() {
        return new TurnClientConfig(server, transport, username, password, timeout, true, sslContext);
    }

    public TurnClientConfig withCredentials(String user, String pass) {
        return new TurnClientConfig(server, transport, user, pass, timeout, sha256, sslContext);
    }
}
