package io.switchboard.turn.server;

import io.netty.buffer.Unpooled;
import io.switchboard.stun.AttributeType;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.StunAttribute;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.turn.TurnPolicy;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.CloseReason;
import io.switchboard.turn.allocation.FiveTuple;

/**
 * One request being answered: the decoded request, the way back to the client, the policy snapshot it is judged by
 * and, once the dispatcher has authenticated it, the credentials whose key signs the response. Finishing a response
 * adds SOFTWARE, MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT as RFC 8489 §6.3 and §9.2.4 ask, caches it for
 * retransmissions, counts it and sends it.
 */
final class Exchange {
    /** A request that passed long-term authentication (RFC 8489 §9.2.4). */
    record Authenticated(String username, String quotaKey, byte[] key, boolean sha256) {
    }

    private final ServerContext context;
    private final StunMessage request;
    private final ClientLink link;
    private final TurnPolicy policy;
    private final long now;
    private Authenticated auth;

    Exchange(ServerContext context, StunMessage request, ClientLink link, TurnPolicy policy, long now) {
        this.context = context;
        this.request = request;
        this.link = link;
        this.policy = policy;
        this.now = now;
    }

    ServerContext context() {
        return context;
    }

    StunMessage request() {
        return request;
    }

    ClientLink link() {
        return link;
    }

    FiveTuple fiveTuple() {
        return link.fiveTuple();
    }

    TurnPolicy policy() {
        return policy;
    }

    long now() {
        return now;
    }

    Authenticated auth() {
        return auth;
    }

    void authenticated(Authenticated credentials) {
        this.auth = credentials;
    }

    /** The allocation of this five-tuple, or null; one whose lifetime ran out is removed first (RFC 8656 §3.2). */
    Allocation allocation() {
        Allocation allocation = context.table().find(link.fiveTuple()).orElse(null);
        if (allocation != null && allocation.isActive() && allocation.isExpired(now)) {
            context.table().remove(allocation, CloseReason.EXPIRED);
            return null;
        }
        return allocation;
    }

    /** A success response builder with the request's method and transaction id. */
    StunMessage.Builder success() {
        return StunMessage.successResponseTo(request);
    }

    /** Answers with an error response carrying {@code code}, its reason phrase and {@code extra} attributes. */
    void fail(int code, StunAttribute... extra) {
        failWith(code, ErrorCode.reasonPhrase(code), extra);
    }

    /** Answers with an error whose reason phrase says more than the registered one. */
    void failWith(int code, String reason, StunAttribute... extra) {
        StunMessage.Builder builder = StunMessage.errorResponseTo(request, new ErrorCode(code, reason));
        for (StunAttribute attribute : extra) {
            builder.add(attribute);
        }
        send(builder, code);
    }

    /** Finishes and sends a success response. */
    void respond(StunMessage.Builder builder) {
        send(builder, 0);
    }

    /** Finishes a success response and sends it over another socket (RFC 5780 CHANGE-REQUEST, RESPONSE-PORT). */
    void respondVia(StunMessage.Builder builder, ClientLink via) {
        sendVia(builder, 0, via);
    }

    private void send(StunMessage.Builder builder, int errorCode) {
        sendVia(builder, errorCode, link);
    }

    private void sendVia(StunMessage.Builder builder, int errorCode, ClientLink via) {
        boolean turn = !request.method().equals(StunMethod.BINDING);
        if (turn && context.software().isPresent()) {
            builder.add(context.software().get());
        }
        if (auth != null) {
            if (auth.sha256()) {
                builder.messageIntegritySha256(auth.key());
            } else {
                builder.messageIntegrity(auth.key());
            }
        }
        if (request.contains(AttributeType.FINGERPRINT)) {
            builder.fingerprint();
        }
        StunMessage response = builder.build();
        boolean forgeable = auth == null && !via.isStream() && errorCode != ErrorCode.UNAUTHENTICATED
                && errorCode != ErrorCode.STALE_NONCE;
        byte[] bytes = forgeable ? AmplificationLimit.fit(response, request.encodedLength()) : response.toBytes();
        if (turn && auth != null) {
            // Only authenticated answers are kept for retransmissions: a cached 401 or 400 could be replayed to a
            // forged source without the challenge rate limit and the size limit above.
            context.responses().put(link.fiveTuple(), request.transactionId(), bytes, now);
        }
        context.metrics().response(errorCode);
        via.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }
}
