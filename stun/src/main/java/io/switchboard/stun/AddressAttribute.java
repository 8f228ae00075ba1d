package io.switchboard.stun;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** An attribute whose value is a transport address, plain (RFC 8489 §14.1) or XOR-ed (§14.2). */
public sealed interface AddressAttribute extends StunAttribute
        permits AlternateServer, ChangedAddress, MappedAddress, OtherAddress, ResponseOrigin, SourceAddress,
        XorMappedAddress, XorPeerAddress, XorRelayedAddress {

    InetSocketAddress address();

    /** Whether the address is XOR-ed with the magic cookie and transaction id on the wire. */
    boolean isXored();

    @Override
    default int valueLength() {
        return AddressCodec.valueLength(address());
    }

    @Override
    default void writeValue(ByteBuffer out, TransactionId transactionId) {
        AddressCodec.write(out, address(), isXored() ? transactionId : null);
    }
}
