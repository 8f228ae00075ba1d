package io.switchboard.app;

import io.switchboard.signaling.IceServer;
import io.switchboard.signaling.IceServers;
import io.switchboard.signaling.IceServersProvider;
import io.switchboard.turn.TurnRestCredentials;
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
    private final Clock clock;
    private volatile Signing signing;

    /** The secret that signs new credentials and their lifetime; swapped by a reload. */
    private record Signing(String secret, Duration ttl) {
    }

    /**
     * The URIs of this node's listeners at {@code host} (a name or an address literal), then those of other nodes
     * ({@code --fleet-uri}), which share the credentials.
     */
    IceServerDirectory(String host, int turnPort, OptionalInt turnsPort, List<String> fleetUris, String secret,
                       Duration ttl, Clock clock) {
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        List<String> stun = new ArrayList<>();
        stun.add("stun:" + hostPart + ":" + turnPort);
        List<String> turn = new ArrayList<>();
        turn.add("turn:" + hostPart + ":" + turnPort + "?transport=udp");
        turn.add("turn:" + hostPart + ":" + turnPort + "?transport=tcp");
        turnsPort.ifPresent(port -> turn.add("turns:" + hostPart + ":" + port + "?transport=tcp"));
        for (String uri : fleetUris) {
            (uri.startsWith("stun") ? stun : turn).add(uri);
        }
        this.stunUris = List.copyOf(stun);
        this.turnUris = List.copyOf(turn);
        List<String> all = new ArrayList<>(stunUris);
        all.addAll(turnUris);
        this.allUris = List.copyOf(all);
        this.signing = new Signing(secret, ttl);
        this.clock = clock;
    }

    /** Signs credentials issued from now on with {@code secret} and gives them {@code ttl}. */
    void resign(String secret, Duration ttl) {
        signing = new Signing(secret, ttl);
    }

    @Override
    public IceServers iceServers(Optional<String> user) {
        Signing current = signing;
        TurnRestCredentials credentials = TurnRestCredentials.issue(current.secret(), user.orElse(""), current.ttl(), clock);
        return new IceServers(credentials.username(), credentials.password(), current.ttl(), allUris, List.of(
                IceServer.stun(stunUris),
                IceServer.turn(turnUris, credentials.username(), credentials.password())));
    }
}
