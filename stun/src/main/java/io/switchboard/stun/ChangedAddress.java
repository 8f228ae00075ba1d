package io.switchboard.stun;

import java.net.InetSocketAddress;

/** CHANGED-ADDRESS: RFC 3489's OTHER-ADDRESS, still sent by classic servers (RFC 3489 §11.2.3). */
public record ChangedAddress(InetSocketAddress address) implements AddressAttribute {
    public ChangedAddress {
        AddressCodec.requireResolved(address, "CHANGED-ADDRESS");
    }

    @Override
    public int type() {
        return AttributeType.CHANGED_ADDRESS;
    }

    @Override
    public boolean isXored() {
        return false;
    }

    static ChangedAddress decode(StunReader r, TransactionId id) throws StunDecodeException {
        return new ChangedAddress(AddressCodec.decode(r, null));
    }
}
