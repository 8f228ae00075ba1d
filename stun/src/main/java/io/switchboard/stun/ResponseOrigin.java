package io.switchboard.stun;

import java.net.InetSocketAddress;

/** RESPONSE-ORIGIN: the address the response was sent from (RFC 5780 §7.3). */
public record ResponseOrigin(InetSocketAddress address) implements AddressAttribute {
    public ResponseOrigin {
        AddressCodec.requireResolved(address, "RESPONSE-ORIGIN");
    }

    @Override
    public int type() {
        return AttributeType.RESPONSE_ORIGIN;
    }

    @Override
    public boolean isXored() {
        return false;
    }

    static ResponseOrigin decode(StunReader r, TransactionId id) throws StunDecodeException {
        return new ResponseOrigin(AddressCodec.decode(r, null));
    }
}
