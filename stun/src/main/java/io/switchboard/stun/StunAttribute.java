package io.switchboard.stun;

import java.nio.ByteBuffer;

/**
 * One STUN attribute: a type, and a value that knows how to encode itself (RFC 8489 §14). Attributes this library does
 * not know are kept intact as {@link UnknownAttribute}.
 */
public sealed interface StunAttribute
        permits AddressAttribute, AdditionalAddressFamily, AddressErrorCode, AlternateDomain, CacheTimeout, ChangeRequest,
        ChannelNumber, ConnectionId, Data, DontFragment, ErrorCode, EvenPort, Fingerprint, IceControlled, IceControlling,
        Icmp, Lifetime, MessageIntegrity, MessageIntegritySha256, Nonce, Padding, PasswordAlgorithm, PasswordAlgorithms,
        Priority, Realm, RequestedAddressFamily, RequestedTransport, ReservationToken, ResponsePort, Software,
        UnknownAttribute, UnknownAttributes, UseCandidate, UserHash, Username {

    /** The 16-bit attribute type (IANA "STUN Attributes" registry). */
    int type();

    /** The value's length in bytes, before padding. */
    int valueLength();

    /** Writes the value (without header or padding); XOR-ed addresses use the message's transaction id. */
    void writeValue(ByteBuffer out, TransactionId transactionId);

    /** Comprehension-required attributes have types below 0x8000 (RFC 8489 §14). */
    default boolean isComprehensionRequired() {
        return AttributeType.isComprehensionRequired(type());
    }
}
