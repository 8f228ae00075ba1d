package io.switchboard.bench.turn;

import io.switchboard.stun.ChannelNumber;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.Lifetime;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.Realm;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.TransactionId;
import io.switchboard.stun.Username;
import io.switchboard.stun.XorPeerAddress;

import java.net.InetSocketAddress;

/**
 * The TURN requests a load session sends, authenticated with the long-term mechanism once the server's 401 has given
 * a realm and a nonce (RFC 8656 §7.2, §9.1, §11.2, §12.1; RFC 8489 §9.2).
 */
final class TurnRequests {
    private final TurnCredentials credentials;
    private String realm = "";
    private String nonce = "";
    private byte[] key = new byte[0];

    TurnRequests(TurnCredentials credentials) {
        this.credentials = credentials;
    }

    boolean authenticated() {
        return key.length > 0;
    }

    /** Takes the realm and nonce of a 401 or 438 answer. */
    void challenge(String newRealm, String newNonce) {
        if (!newRealm.equals(realm)) {
            realm = newRealm;
            key = IntegrityKeys.longTermMd5(credentials.username(), realm, credentials.password());
        }
        nonce = newNonce;
    }

    StunMessage allocate() {
        StunMessage.Builder builder = StunMessage.builder(StunMethod.ALLOCATE.request(), TransactionId.random())
                .add(new RequestedTransport(RequestedTransport.UDP));
        return authenticated() ? sign(builder) : builder.build();
    }

    StunMessage channelBind(int channel, InetSocketAddress peer) {
        return sign(StunMessage.builder(StunMethod.CHANNEL_BIND.request(), TransactionId.random())
                .add(new ChannelNumber(channel))
                .add(new XorPeerAddress(peer)));
    }

    StunMessage refresh(long lifetimeSeconds) {
        return sign(StunMessage.builder(StunMethod.REFRESH.request(), TransactionId.random())
                .add(new Lifetime(lifetimeSeconds)));
    }

    /** The same request again with a fresh transaction id and the current nonce (after 438 Stale Nonce). */
    private StunMessage sign(StunMessage.Builder builder) {
        return builder.add(new Username(credentials.username()))
                .add(new Realm(realm))
                .add(new Nonce(nonce))
                .messageIntegrity(key)
                .build();
    }
}
