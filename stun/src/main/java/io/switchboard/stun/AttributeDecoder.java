package io.switchboard.stun;

/** Picks the decoder for an attribute type; types it does not know become {@link UnknownAttribute}. */
final class AttributeDecoder {
    private AttributeDecoder() {
    }

    static StunAttribute decode(int type, StunReader r, TransactionId id) throws StunDecodeException {
        switch (type) {
            case AttributeType.MAPPED_ADDRESS: return MappedAddress.decode(r, id);
            case AttributeType.XOR_MAPPED_ADDRESS: return XorMappedAddress.decode(r, id);
            case AttributeType.XOR_PEER_ADDRESS: return XorPeerAddress.decode(r, id);
            case AttributeType.XOR_RELAYED_ADDRESS: return XorRelayedAddress.decode(r, id);
            case AttributeType.ALTERNATE_SERVER: return AlternateServer.decode(r, id);
            case AttributeType.RESPONSE_ORIGIN: return ResponseOrigin.decode(r, id);
            case AttributeType.OTHER_ADDRESS: return OtherAddress.decode(r, id);
            case AttributeType.SOURCE_ADDRESS: return SourceAddress.decode(r, id);
            case AttributeType.CHANGED_ADDRESS: return ChangedAddress.decode(r, id);
            case AttributeType.USERNAME: return Username.decode(r);
            case AttributeType.USERHASH: return UserHash.decode(r);
            case AttributeType.MESSAGE_INTEGRITY: return MessageIntegrity.decode(r);
            case AttributeType.MESSAGE_INTEGRITY_SHA256: return MessageIntegritySha256.decode(r);
            case AttributeType.FINGERPRINT: return Fingerprint.decode(r);
            case AttributeType.ERROR_CODE: return ErrorCode.decode(r);
            case AttributeType.REALM: return Realm.decode(r);
            case AttributeType.NONCE: return Nonce.decode(r);
            case AttributeType.PASSWORD_ALGORITHMS: return PasswordAlgorithms.decode(r);
            case AttributeType.PASSWORD_ALGORITHM: return PasswordAlgorithm.decode(r);
            case AttributeType.UNKNOWN_ATTRIBUTES: return UnknownAttributes.decode(r);
            case AttributeType.SOFTWARE: return Software.decode(r);
            case AttributeType.ALTERNATE_DOMAIN: return AlternateDomain.decode(r);
            case AttributeType.CHANNEL_NUMBER: return ChannelNumber.decode(r);
            case AttributeType.LIFETIME: return Lifetime.decode(r);
            case AttributeType.DATA: return Data.decode(r);
            case AttributeType.REQUESTED_ADDRESS_FAMILY: return RequestedAddressFamily.decode(r);
            case AttributeType.EVEN_PORT: return EvenPort.decode(r);
            case AttributeType.REQUESTED_TRANSPORT: return RequestedTransport.decode(r);
            case AttributeType.DONT_FRAGMENT: return DontFragment.decode(r);
            case AttributeType.RESERVATION_TOKEN: return ReservationToken.decode(r);
            case AttributeType.ADDITIONAL_ADDRESS_FAMILY: return AdditionalAddressFamily.decode(r);
            case AttributeType.ADDRESS_ERROR_CODE: return AddressErrorCode.decode(r);
            case AttributeType.ICMP: return Icmp.decode(r);
            case AttributeType.CONNECTION_ID: return ConnectionId.decode(r);
            case AttributeType.CHANGE_REQUEST: return ChangeRequest.decode(r);
            case AttributeType.PADDING: return Padding.decode(r);
            case AttributeType.RESPONSE_PORT: return ResponsePort.decode(r);
            case AttributeType.CACHE_TIMEOUT: return CacheTimeout.decode(r);
            case AttributeType.PRIORITY: return Priority.decode(r);
            case AttributeType.USE_CANDIDATE: return UseCandidate.decode(r);
            case AttributeType.ICE_CONTROLLED: return IceControlled.decode(r);
            case AttributeType.ICE_CONTROLLING: return IceControlling.decode(r);
            default: return new UnknownAttribute(type, r.rest());
        }
    }
}
