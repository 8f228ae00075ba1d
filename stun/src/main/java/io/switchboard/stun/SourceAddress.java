package io.switchboard.stun;

import java.net.InetSocketAddress;

/** SOURCE-ADDRESS: RFC 3489's RESPONSE-ORIGIN, still sent by classic servers (RFC 3489 §11.2.5). */
public record SourceAddress(InetSocketAddress address) implements AddressAttribute {
    public SourceAddress {
        AddressCodec.requireResolved(address, "SOURCE-ADDRESS");
    }

    @Override
    public int type() {
        return AttributeType.SOURCE_ADDRESS;
    }

    @Override
    public boolean isXored() {
        return false;
    }

    static SourceAddress decode(StunReader r, TransactionId id) throws StunDecodeException {
        return new SourceAddress(AddressCodec.decode(r, null));
    }
}
