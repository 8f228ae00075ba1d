package io.switchboard.bench;

import java.net.InetSocketAddress;

/**
 * Source addresses for many clients on one machine: real clients come from many IP addresses, and servers keep
 * per-address state (Switchboard rate-limits 401 challenges per source IP), so the generators spread their sockets
 * over 127.0.1.1, 127.0.1.2, ... (all of 127/8 is loopback on Linux).
 */
public final class Loopback {
    private Loopback() {
    }

    /**
     * The local address of client {@code index}: one of {@code spread} loopback addresses, or {@code bind} itself
     * when {@code spread} is 1 or {@code bind} is not 127.0.0.1.
     */
    public static InetSocketAddress source(String bind, int index, int spread) {
        if (spread <= 1 || !bind.equals("127.0.0.1")) {
            return new InetSocketAddress(bind, 0);
        }
        int k = index % spread;
        return new InetSocketAddress("127.0." + (1 + k / 254) + "." + (1 + k % 254), 0);
    }
}
