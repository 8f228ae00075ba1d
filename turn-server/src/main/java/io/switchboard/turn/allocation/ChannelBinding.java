package io.switchboard.turn.allocation;

import java.net.InetSocketAddress;

/**
 * A channel binding (RFC 8656 §12): channel number 0x4000-0x4FFF to one peer transport address, for ChannelData.
 * After it expires it cools down for {@link Lifetimes#CHANNEL_COOLDOWN} before number and peer may be bound anew.
 */
public final class ChannelBinding {
    private final int number;
    private final InetSocketAddress peer;
    private volatile long expiresAtMillis;

    ChannelBinding(int number, InetSocketAddress peer, long expiresAtMillis) {
        this.number = number;
        this.peer = peer;
        this.expiresAtMillis = expiresAtMillis;
    }

    public int number() {
        return number;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    /** Whether ChannelData flows on this binding now. */
    public boolean isActive(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }

    /** Whether the binding still blocks its number and peer from other bindings (active or cooling down). */
    boolean isReserved(long nowMillis) {
        return nowMillis < expiresAtMillis + Lifetimes.CHANNEL_COOLDOWN.toMillis();
    }

    void refresh(long expiresAtMillis) {
        this.expiresAtMillis = expiresAtMillis;
    }
}
