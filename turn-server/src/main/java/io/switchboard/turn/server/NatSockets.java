package io.switchboard.turn.server;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/**
 * The four UDP sockets of RFC 5780 NAT behaviour discovery (§4.1, §7): primary and alternate IP times primary and
 * alternate port. A position is a two-bit number: {@link #ALTERNATE_IP} and {@link #ALTERNATE_PORT} set or not.
 */
final class NatSockets {
    static final int PRIMARY = 0;
    static final int ALTERNATE_PORT = 1;
    static final int ALTERNATE_IP = 2;

    private final Channel[] channels = new Channel[4];
    private final InetSocketAddress[] addresses = new InetSocketAddress[4];

    void set(int position, Channel channel, InetSocketAddress address) {
        channels[position] = channel;
        addresses[position] = address;
    }

    Channel channel(int position) {
        return channels[position];
    }

    InetSocketAddress address(int position) {
        return addresses[position];
    }

    /** The position a response leaves from after CHANGE-REQUEST (RFC 5780 §6.1). */
    static int origin(int received, boolean changeIp, boolean changePort) {
        return received ^ (changeIp ? ALTERNATE_IP : 0) ^ (changePort ? ALTERNATE_PORT : 0);
    }

    /** OTHER-ADDRESS: the socket that differs in both IP and port (RFC 5780 §7.4). */
    static int other(int received) {
        return received ^ (ALTERNATE_IP | ALTERNATE_PORT);
    }
}
