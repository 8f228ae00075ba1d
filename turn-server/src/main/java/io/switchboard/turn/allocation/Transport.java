package io.switchboard.turn.allocation;

/** The protocol between client and server, part of the five-tuple (RFC 8656 §2): TLS runs over TCP. */
public enum Transport {
    UDP, TCP, TLS;

    /** Whether the transport is a byte stream, where ChannelData is padded to 4 bytes (RFC 8656 §12.5). */
    public boolean isStream() {
        return this != UDP;
    }

    /** The lower-case name used in metric tags and listener names. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
