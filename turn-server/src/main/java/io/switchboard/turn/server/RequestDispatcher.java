package io.switchboard.turn.server;

import io.netty.buffer.Unpooled;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.Fingerprint;
import io.switchboard.stun.MessageClass;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.UnknownAttributes;
import io.switchboard.turn.TurnPolicy;

/**
 * Routes a decoded STUN message to the handler of its method (RFC 8489 §6.3, RFC 8656 §4): a table indexed by method
 * code. For requests, in order: a retransmission gets the cached response; the method must be known (400); TURN methods
 * are authenticated (RFC 8489 §9.2.4); unknown comprehension-required attributes get 420 with UNKNOWN-ATTRIBUTES; then
 * the handler answers. Indications other than Send and all responses are dropped.
 */
final class RequestDispatcher {
    private final ServerContext context;
    private final Authenticator authenticator;
    private final MethodHandler[] requests = new MethodHandler[0x10];
    private final SendHandler send;

    RequestDispatcher(ServerContext context) {
        this.context = context;
        this.authenticator = new Authenticator(context);
        this.send = new SendHandler(context);
        requests[StunMethod.BINDING.code()] = new BindingHandler(context);
        requests[StunMethod.ALLOCATE.code()] = new AllocateHandler(context);
        requests[StunMethod.REFRESH.code()] = new RefreshHandler(context);
        requests[StunMethod.CREATE_PERMISSION.code()] = new CreatePermissionHandler();
        requests[StunMethod.CHANNEL_BIND.code()] = new ChannelBindHandler();
        if (context.config().tcpRelay()) {
            requests[StunMethod.CONNECT.code()] = new ConnectHandler(context);
            requests[StunMethod.CONNECTION_BIND.code()] = new ConnectionBindHandler(context);
        }
    }

    /** Handles one message that arrived over {@code link}. */
    void dispatch(StunMessage message, ClientLink link) {
        if (message.attribute(Fingerprint.class).isPresent() && !Fingerprint.verify(message)) {
            context.metrics().dropped(DropReason.BAD_FINGERPRINT);
            return;
        }
        MessageClass messageClass = message.messageClass();
        if (messageClass == MessageClass.INDICATION) {
            if (message.method().equals(StunMethod.SEND) && !message.isClassic()) {
                send.handle(message, link);
            } else if (!message.method().equals(StunMethod.BINDING)) {
                context.metrics().dropped(DropReason.UNEXPECTED);
            }
            return;
        }
        if (messageClass != MessageClass.REQUEST) {
            context.metrics().dropped(DropReason.UNEXPECTED);
            return;
        }
        context.metrics().request(message.method());
        long now = context.clock().millis();
        if (message.isClassic() && !message.method().equals(StunMethod.BINDING)) {
            context.metrics().dropped(DropReason.UNEXPECTED);
            return;
        }
        // Binding answers are never cached (Exchange), so a retransmitted Binding is simply answered again.
        byte[] cached = message.method().equals(StunMethod.BINDING) ? null
                : context.responses().get(link.fiveTuple(), message.transactionId(), now);
        if (cached != null) {
            link.writeAndFlush(Unpooled.wrappedBuffer(cached));
            return;
        }
        TurnPolicy policy = context.policy();
        Exchange exchange = new Exchange(context, message, link, policy, now);
        int code = message.method().code();
        MethodHandler handler = code < requests.length ? requests[code] : null;
        if (handler == null) {
            exchange.failWith(ErrorCode.BAD_REQUEST, "unknown method " + message.method());
            return;
        }
        if (handler.requiresAuthentication() && !authenticator.authenticate(exchange)) {
            return;
        }
        if (!message.unknownComprehensionRequired().isEmpty()) {
            exchange.fail(ErrorCode.UNKNOWN_ATTRIBUTE, new UnknownAttributes(message.unknownComprehensionRequired()));
            return;
        }
        handler.handle(exchange);
    }

    /** A 400 for a request whose header decoded but whose body did not (RFC 8489 §6.3.1). */
    static StunMessage badRequest(io.switchboard.stun.MessageType type, io.switchboard.stun.TransactionId id, String reason) {
        // Short: a forged source must not turn a small request into a large answer (AmplificationLimit cuts it
        // further), so the attribute's name comes first.
        String named = reason.startsWith("attribute ") ? reason.substring("attribute ".length()) : reason;
        String text = named.length() > 60 ? named.substring(0, 60) : named;
        return StunMessage.builder(type.method().errorResponse(), id)
                .add(new ErrorCode(ErrorCode.BAD_REQUEST, text)).build();
    }
}
