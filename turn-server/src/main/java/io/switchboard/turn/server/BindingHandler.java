package io.switchboard.turn.server;

import io.switchboard.stun.AttributeType;
import io.switchboard.stun.ChangeRequest;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.MappedAddress;
import io.switchboard.stun.OtherAddress;
import io.switchboard.stun.Padding;
import io.switchboard.stun.ResponseOrigin;
import io.switchboard.stun.ResponsePort;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.UnknownAttributes;
import io.switchboard.stun.XorMappedAddress;
import io.switchboard.turn.allocation.FiveTuple;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binding requests (RFC 8489 §6.3.1.1, open to everyone):
 * <ol>
 *   <li>an RFC 3489 request (no magic cookie) gets MAPPED-ADDRESS (RFC 8489 §12);</li>
 *   <li>otherwise XOR-MAPPED-ADDRESS of the source transport address, FINGERPRINT when the request had one;</li>
 *   <li>with RFC 5780 on (UDP): RESPONSE-ORIGIN and OTHER-ADDRESS (§7.3, §7.4), the response sent from the socket
 *       CHANGE-REQUEST asks for (§6.1) to the port RESPONSE-PORT names (§7.5), PADDING echoed (§7.6);</li>
 *   <li>with RFC 5780 off, CHANGE-REQUEST and RESPONSE-PORT are unknown comprehension-required attributes: 420.</li>
 * </ol>
 */
final class BindingHandler implements MethodHandler {
    private final ServerContext context;

    BindingHandler(ServerContext context) {
        this.context = context;
    }

    @Override
    public boolean requiresAuthentication() {
        return false;
    }

    @Override
    public void handle(Exchange exchange) {
        StunMessage request = exchange.request();
        InetSocketAddress client = exchange.fiveTuple().client();
        if (request.isClassic()) {
            exchange.respond(exchange.success().add(new MappedAddress(client)));
            return;
        }
        NatSockets nat = context.natSockets();
        boolean discovery = nat != null && exchange.link() instanceof UdpClientLink;
        Optional<ChangeRequest> change = request.attribute(ChangeRequest.class);
        Optional<ResponsePort> responsePort = request.attribute(ResponsePort.class);
        if (!discovery && (change.isPresent() || responsePort.isPresent())) {
            List<Integer> unknown = new ArrayList<>();
            change.ifPresent(c -> unknown.add(AttributeType.CHANGE_REQUEST));
            responsePort.ifPresent(p -> unknown.add(AttributeType.RESPONSE_PORT));
            exchange.fail(ErrorCode.UNKNOWN_ATTRIBUTE, new UnknownAttributes(unknown));
            return;
        }
        StunMessage.Builder response = exchange.success().add(new XorMappedAddress(client));
        if (!discovery) {
            exchange.respond(response);
            return;
        }
        int received = ((UdpClientLink) exchange.link()).natPosition();
        int origin = NatSockets.origin(received, change.map(ChangeRequest::changeIp).orElse(false),
                change.map(ChangeRequest::changePort).orElse(false));
        response.add(new ResponseOrigin(nat.address(origin)));
        response.add(new OtherAddress(nat.address(NatSockets.other(received))));
        request.attribute(Padding.class).ifPresent(p -> response.add(new Padding(new byte[p.length()])));
        InetSocketAddress destination = responsePort
                .map(p -> new InetSocketAddress(client.getAddress(), p.port())).orElse(client);
        FiveTuple via = new FiveTuple(destination, nat.address(origin), exchange.fiveTuple().transport());
        exchange.respondVia(response, new UdpClientLink(nat.channel(origin), via, origin));
    }
}
