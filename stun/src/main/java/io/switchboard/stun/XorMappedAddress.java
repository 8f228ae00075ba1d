package io.switchboard.stun;

import java.net.InetSocketAddress;

/** XOR-MAPPED-ADDRESS: the reflexive transport address, XOR-ed with cookie and transaction id (RFC 8489 §14.2). */
public record XorMappedAddress(InetSocketAddress address) implements AddressAttribute {
    public XorMappedAddress {
        AddressCodec.requireResolved(address, "XOR-MAPPED-ADDRESS");
    }

    @Override
    public int type() {
        return AttributeType.XOR_MAPPED_ADDRESS;
    }

    @Override
    public boolean isXored() {
        return true;
    }

    static XorMappedAddress decode(StunReader r, TransactionId id) throws StunDecodeException {
        return new XorMappedAddress(AddressCodec.decode(r, id));
    }
}
