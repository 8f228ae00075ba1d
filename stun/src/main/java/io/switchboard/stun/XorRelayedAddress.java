package io.switchboard.stun;

import java.net.InetSocketAddress;

/** XOR-RELAYED-ADDRESS: the address the TURN server allocated for the client (RFC 8656 §18.5). */
public record XorRelayedAddress(InetSocketAddress address) implements AddressAttribute {
    public XorRelayedAddress {
        AddressCodec.requireResolved(address, "XOR-RELAYED-ADDRESS");
    }

    @Override
    public int type() {
        return AttributeType.XOR_RELAYED_ADDRESS;
    }

    @Override
    public boolean isXored() {
        return true;
    }

    static XorRelayedAddress decode(StunReader r, TransactionId id) throws StunDecodeException {
        return new XorRelayedAddress(AddressCodec.decode(r, id));
    }
}
