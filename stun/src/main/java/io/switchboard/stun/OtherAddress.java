package io.switchboard.stun;

import java.net.InetSocketAddress;

/** OTHER-ADDRESS: the server's alternate address and port for NAT behaviour tests (RFC 5780 §7.4). */
public record OtherAddress(InetSocketAddress address) implements AddressAttribute {
    public OtherAddress {
        AddressCodec.requireResolved(address, "OTHER-ADDRESS");
    }

    @Override
    public int type() {
        return AttributeType.OTHER_ADDRESS;
    }

    @Override
    public boolean isXored() {
        return false;
    }

    static OtherAddress decode(StunReader r, TransactionId id) throws StunDecodeException {
        return new OtherAddress(AddressCodec.decode(r, null));
    }
}
