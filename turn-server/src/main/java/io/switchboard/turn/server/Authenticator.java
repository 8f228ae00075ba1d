package io.switchboard.turn.server;

import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.MessageIntegrity;
import io.switchboard.stun.MessageIntegritySha256;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.PasswordAlgorithm;
import io.switchboard.stun.PasswordAlgorithms;
import io.switchboard.stun.Realm;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.UserHash;
import io.switchboard.stun.Username;
import io.switchboard.turn.auth.Credentials;
import io.switchboard.turn.auth.NonceService;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Long-term credential checks of a request (RFC 8489 §9.2.4), in the RFC's order:
 * <ol>
 *   <li>no MESSAGE-INTEGRITY nor MESSAGE-INTEGRITY-SHA256: 401 with REALM, NONCE and PASSWORD-ALGORITHMS (over UDP at
 *       most a few per second per source IP, the rest dropped);</li>
 *   <li>USERNAME (or USERHASH), REALM or NONCE missing: 400;</li>
 *   <li>PASSWORD-ALGORITHMS not what the server offered, or PASSWORD-ALGORITHM not among them: 400;</li>
 *   <li>NONCE not issued by this server to this IP, or expired: 438 with a fresh NONCE;</li>
 *   <li>unknown user, expired TURN REST username or foreign REALM: 401;</li>
 *   <li>MESSAGE-INTEGRITY-SHA256 (preferred) or MESSAGE-INTEGRITY not matching under any of the user's keys (several
 *       TURN REST secrets during a rotation): 401; compared in constant time.</li>
 * </ol>
 * On success the exchange carries the key, and its response is signed with the same integrity attribute.
 */
final class Authenticator {
    /** The algorithms offered in PASSWORD-ALGORITHMS (RFC 8489 §14.11), SHA-256 first as the stronger. */
    static final PasswordAlgorithms OFFERED = new PasswordAlgorithms(
            List.of(PasswordAlgorithm.SHA256_ALGORITHM, PasswordAlgorithm.MD5_ALGORITHM));

    private final ServerContext context;
    private final LongTermKeyCache keys = new LongTermKeyCache();

    Authenticator(ServerContext context) {
        this.context = context;
    }

    /** True when the request is authenticated; otherwise it has been answered (or the answer was rate-limited). */
    boolean authenticate(Exchange exchange) {
        StunMessage request = exchange.request();
        Credentials credentials = exchange.policy().credentials();
        InetAddress source = exchange.fiveTuple().client().getAddress();
        Optional<MessageIntegritySha256> sha256 = request.attribute(MessageIntegritySha256.class);
        Optional<MessageIntegrity> sha1 = request.attribute(MessageIntegrity.class);
        if (sha256.isEmpty() && sha1.isEmpty()) {
            challenge(exchange, ErrorCode.UNAUTHENTICATED, credentials, source);
            return false;
        }
        Optional<Username> username = request.attribute(Username.class);
        Optional<UserHash> userHash = request.attribute(UserHash.class);
        Optional<Realm> realm = request.attribute(Realm.class);
        Optional<Nonce> nonce = request.attribute(Nonce.class);
        if ((username.isEmpty() && userHash.isEmpty()) || realm.isEmpty() || nonce.isEmpty()) {
            context.metrics().authFailure("bad-request");
            exchange.failWith(ErrorCode.BAD_REQUEST, "USERNAME, REALM and NONCE are required with MESSAGE-INTEGRITY");
            return false;
        }
        Optional<PasswordAlgorithms> algorithms = request.attribute(PasswordAlgorithms.class);
        Optional<PasswordAlgorithm> algorithm = request.attribute(PasswordAlgorithm.class);
        PasswordAlgorithm chosen = PasswordAlgorithm.MD5_ALGORITHM;
        if (algorithms.isPresent() || algorithm.isPresent()) {
            if (algorithms.isEmpty() || algorithm.isEmpty() || !algorithms.get().equals(OFFERED)
                    || !OFFERED.algorithms().contains(algorithm.get())) {
                context.metrics().authFailure("bad-request");
                exchange.failWith(ErrorCode.BAD_REQUEST, "PASSWORD-ALGORITHMS must be the list offered and"
                        + " PASSWORD-ALGORITHM one of it");
                return false;
            }
            chosen = algorithm.get();
        }
        if (context.nonces().check(nonce.get().nonce(), source) != NonceService.Validity.VALID) {
            context.metrics().authFailure("stale-nonce");
            challenge(exchange, ErrorCode.STALE_NONCE, credentials, source);
            return false;
        }
        if (!realm.get().realm().equals(credentials.realm())) {
            context.metrics().authFailure("wrong-realm");
            challenge(exchange, ErrorCode.UNAUTHENTICATED, credentials, source);
            return false;
        }
        String name = username.isPresent() ? username.get().name() : credentials.usernameForHash(userHash.get().hash());
        if (name == null) {
            context.metrics().authFailure("unknown-user");
            challenge(exchange, ErrorCode.UNAUTHENTICATED, credentials, source);
            return false;
        }
        Credentials.Lookup lookup = credentials.lookup(name, context.clock().millis() / 1000);
        if (!(lookup instanceof Credentials.Found)) {
            context.metrics().authFailure(lookup instanceof Credentials.Expired ? "expired" : "unknown-user");
            challenge(exchange, ErrorCode.UNAUTHENTICATED, credentials, source);
            return false;
        }
        Credentials.Found found = (Credentials.Found) lookup;
        for (String password : found.passwords()) {
            byte[] key;
            try {
                key = keys.key(chosen, name, credentials.realm(), password);
            } catch (IllegalArgumentException e) {
                continue;
            }
            boolean valid = sha256.isPresent() ? MessageIntegritySha256.verify(request, key) : MessageIntegrity.verify(request, key);
            if (valid) {
                exchange.authenticated(new Exchange.Authenticated(name, found.quotaKey(), key, sha256.isPresent()));
                return true;
            }
        }
        context.metrics().authFailure("wrong-password");
        challenge(exchange, ErrorCode.UNAUTHENTICATED, credentials, source);
        return false;
    }

    /** 401 or 438 with REALM, a fresh NONCE and PASSWORD-ALGORITHMS; 401s over UDP are rate-limited per source IP. */
    private void challenge(Exchange exchange, int code, Credentials credentials, InetAddress source) {
        if (!exchange.link().isStream() && code == ErrorCode.UNAUTHENTICATED
                && !context.challenges().tryAcquire(source, exchange.now())) {
            context.metrics().dropped(DropReason.RATE_LIMITED);
            return;
        }
        exchange.fail(code, new Realm(credentials.realm()), new Nonce(context.nonces().issue(source)), OFFERED);
    }
}
