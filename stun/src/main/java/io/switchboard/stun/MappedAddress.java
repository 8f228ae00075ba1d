package io.switchboard.stun;

import java.net.InetSocketAddress;

/** MAPPED-ADDRESS: the reflexive address, plain; used in answers to classic RFC 3489 clients (RFC 8489 §14.1). */
public record MappedAddress(InetSocketAddress address) implements AddressAttribute {
    public MappedAddress {
        AddressCodec.requireResolved(address, "MAPPED-ADDRESS");
    }

    @Override
    public int type() {
        return AttributeType.MAPPED_ADDRESS;
    }

    @Override
    public boolean isXored() {
        return false;
    }

    static MappedAddress decode(StunReader r, TransactionId id) throws StunDecodeException {
        return new MappedAddress(AddressCodec.decode(r, null));
    }
}
