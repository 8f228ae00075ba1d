package io.switchboard.app;

import io.switchboard.signaling.IceServer;
import io.switchboard.signaling.IceServers;
import io.switchboard.signaling.IceServersProvider;
import io.switchboard.turn.TurnRestCredentials;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The ICE servers of this Switchboard as browsers need them: STUN and TURN URIs of the running listeners (RFC 7064,
 * RFC 7065) with fresh TURN REST credentials signed by the first {@code --auth-secret}.
 */
final class IceServerDirectory implements IceServersProvider {
    private final List<String> stunUris;
    private final List<String> turnUris;
    private final List<String> allUris;
    private final String secret;
    private final Duration ttl;
    private final Clock clock;

    IceServerDirectory(InetAddress host, int turnPort, OptionalInt turnsPort, String secret, Duration ttl, Clock clock) {
        String hostPart = host instanceof Inet6Address ? "[" + host.getHostAddress().replaceAll("%.*", "") + "]"
                : host.getHostAddress();
        this.stunUris = List.of("stun:" + hostPart + ":" + turnPort);
        List<String> turn = new ArrayList<>();
        turn.add("turn:" + hostPart + ":" + turnPort + "?transport=udp");
        turn.add("turn:" + hostPart + ":" + turnPort + "?transport=tcp");
        turnsPort.ifPresent(port -> turn.add("turns:" + hostPart + ":" + port + "?transport=tcp"));
        this.turnUris = List.copyOf(turn);
        List<String> all = new ArrayList<>(stunUris);
        all.addAll(turnUris);
        this.allUris = List.copyOf(all);
        this.secret = secret;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public IceServers iceServers(Optional<String> user) {
        TurnRestCredentials credentials = TurnRestCredentials.issue(secret, user.orElse(""), ttl, clock);
        return new IceServers(credentials.username(), credentials.password(), ttl, allUris, List.of(
                IceServer.stun(stunUris),
                IceServer.turn(turnUris, credentials.username(), credentials.password())));
    }
}
