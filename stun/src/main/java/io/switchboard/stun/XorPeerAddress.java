package io.switchboard.stun;

import java.net.InetSocketAddress;

/** XOR-PEER-ADDRESS: a peer's address as seen from the TURN server (RFC 8656 §18.3). */
public record XorPeerAddress(InetSocketAddress address) implements AddressAttribute {
    public XorPeerAddress {
        AddressCodec.requireResolved(address, "XOR-PEER-ADDRESS");
    }

    @Override
    public int type() {
        return AttributeType.XOR_PEER_ADDRESS;
    }

    @Override
    public boolean isXored() {
        return true;
    }

    static XorPeerAddress decode(StunReader r, TransactionId id) throws StunDecodeException {
        return new XorPeerAddress(AddressCodec.decode(r, id));
    }
}
