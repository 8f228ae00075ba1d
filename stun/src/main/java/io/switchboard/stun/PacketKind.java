package io.switchboard.stun;

/** What the first bytes of a packet on a TURN port say it is (RFC 8656 §12, RFC 7983). */
public enum PacketKind {
    /** A STUN message: first two bits 0 and the magic cookie, or a plausible RFC 3489 header. */
    STUN,
    /** TURN ChannelData: first byte 0x40-0x4F. */
    CHANNEL_DATA,
    /** Anything else: not for a STUN/TURN server. */
    OTHER
}
