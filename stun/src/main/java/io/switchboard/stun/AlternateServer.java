package io.switchboard.stun;

import java.net.InetSocketAddress;

/** ALTERNATE-SERVER: where a 300 Try Alternate sends the client (RFC 8489 §14.15). */
public record AlternateServer(InetSocketAddress address) implements AddressAttribute {
    public AlternateServer {
        AddressCodec.requireResolved(address, "ALTERNATE-SERVER");
    }

    @Override
    public int type() {
        return AttributeType.ALTERNATE_SERVER;
    }

    @Override
    public boolean isXored() {
        return false;
    }

    static AlternateServer decode(StunReader r, TransactionId id) throws StunDecodeException {
        return new AlternateServer(AddressCodec.decode(r, null));
    }
}
