package io.switchboard.client.stun;

import io.switchboard.stun.ChangedAddress;
import io.switchboard.stun.MappedAddress;
import io.switchboard.stun.OtherAddress;
import io.switchboard.stun.ResponseOrigin;
import io.switchboard.stun.SourceAddress;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.XorMappedAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * A Binding success response as the client saw it (RFC 8489 §7.3.3, RFC 5780 §7.3-7.4).
 *
 * @param mappedAddress XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from servers older than RFC 5389
 * @param responseOrigin RESPONSE-ORIGIN, or RFC 3489's SOURCE-ADDRESS
 * @param otherAddress OTHER-ADDRESS, or RFC 3489's CHANGED-ADDRESS: present when the server supports RFC 5780 tests
 * @param source the address the response datagram actually came from
 * @param localAddress the client socket's address
 * @param roundTrip time from the first request to this response
 * @param message the whole response
 */
public record BindingResponse(InetSocketAddress mappedAddress, Optional<InetSocketAddress> responseOrigin,
                              Optional<InetSocketAddress> otherAddress, InetSocketAddress source,
                              InetSocketAddress localAddress, Duration roundTrip, StunMessage message) {

    static BindingResponse of(StunMessage message, InetSocketAddress server, InetSocketAddress source,
                              InetSocketAddress local, Duration roundTrip) throws StunClientException {
        Optional<InetSocketAddress> mapped = message.attribute(XorMappedAddress.class).map(XorMappedAddress::address)
                .or(() -> message.attribute(MappedAddress.class).map(MappedAddress::address));
        if (mapped.isEmpty()) {
            throw new StunClientException("STUN server " + StunServerAddress.format(server)
                    + " answered without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS");
        }
        Optional<InetSocketAddress> origin = message.attribute(ResponseOrigin.class).map(ResponseOrigin::address)
                .or(() -> message.attribute(SourceAddress.class).map(SourceAddress::address));
        Optional<InetSocketAddress> other = message.attribute(OtherAddress.class).map(OtherAddress::address)
                .or(() -> message.attribute(ChangedAddress.class).map(ChangedAddress::address));
        return new BindingResponse(mapped.get(), origin, other, source, local, roundTrip, message);
    }
}
