package io.switchboard.turn.allocation;

import java.net.InetAddress;

/**
 * A permission (RFC 8656 §9): packets from and to this peer IP address (any port) are relayed until it expires.
 * Its expiry is read lock-free on the relay's hot path.
 */
public final class Permission {
    private final InetAddress peer;
    private volatile long expiresAtMillis;
    /** The peer policy object this peer was last checked against; a reload swaps the object and forces a re-check. */
    private volatile Object checkedWith;

    Permission(InetAddress peer, long expiresAtMillis, Object checkedWith) {
        this.peer = peer;
        this.expiresAtMillis = expiresAtMillis;
        this.checkedWith = checkedWith;
    }

    public InetAddress peer() {
        return peer;
    }

    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    public boolean isActive(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }

    /** Whether the peer was checked against exactly this policy object. */
    public boolean checkedWith(Object policy) {
        return checkedWith == policy;
    }

    public void markChecked(Object policy) {
        this.checkedWith = policy;
    }

    void refresh(long expiresAtMillis, Object policy) {
        this.expiresAtMillis = expiresAtMillis;
        this.checkedWith = policy;
    }
}
