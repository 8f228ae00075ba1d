package io.switchboard.turn;

import io.switchboard.turn.auth.Credentials;
import io.switchboard.turn.policy.PeerAddressPolicy;
import io.switchboard.turn.policy.Quotas;

import java.util.Objects;

/**
 * The part of the TURN configuration that can change while the server runs (a SIGHUP reload): who may authenticate,
 * where relaying may go and the quotas. Immutable; {@link TurnServer#reload(TurnPolicy)} swaps it atomically, and
 * requests and relayed packets already use the new one.
 *
 * <p>A new realm invalidates every nonce's integrity key: clients re-authenticate after one 401. Existing allocations
 * keep their bandwidth quota; the other quotas apply to the next request.
 */
public record TurnPolicy(Credentials credentials, PeerAddressPolicy peers, Quotas quotas) {
    public TurnPolicy {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(quotas, "quotas");
    }
}
