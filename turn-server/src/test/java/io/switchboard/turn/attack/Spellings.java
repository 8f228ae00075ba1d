package io.switchboard.turn.attack;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Every way to write a peer address that a TURN server must not relay to by default, as the attacks on other TURN
 * servers wrote them: loopback and "this host" in IPv4 and IPv6, loopback and private addresses hidden in IPv4-mapped,
 * IPv4-compatible, NAT64 and 6to4 IPv6 forms, link-local (cloud metadata at 169.254.169.254), RFC 1918, carrier-grade
 * NAT, multicast and broadcast.
 */
final class Spellings {
    /** One spelling: the text as written and the address, with 16-byte forms kept as IPv6. */
    record Spelling(String text, InetAddress address) {
        @Override
        public String toString() {
            return text;
        }
    }

    static final List<String> DENIED = List.of(
            "0.0.0.0", "0.1.2.3", "127.0.0.1", "127.0.0.2", "127.1.2.3", "127.255.255.254",
            "::1", "::",
            "::ffff:127.0.0.1", "::ffff:0.0.0.0", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:192.168.1.1",
            "::127.0.0.1", "::10.1.2.3", "::169.254.169.254",
            "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::a00:1",
            "2002:7f00:1::", "2002:a9fe:a9fe::", "2002:c0a8:101::1",
            "169.254.169.254", "169.254.0.1", "fe80::1", "fe80::a9fe:a9fe",
            "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255",
            "fc00::1", "fd12:3456::1",
            "100.64.0.1", "198.18.0.1", "192.0.0.1",
            "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "ff02::1", "ff0e::1");

    private Spellings() {
    }

    static List<Spelling> denied() {
        return DENIED.stream().map(text -> new Spelling(text, literal(text))).toList();
    }

    /** The address as written: {@code ::ffff:a.b.c.d} stays a 16-byte IPv6 address (Java would make it IPv4). */
    static InetAddress literal(String text) {
        try {
            InetAddress parsed = InetAddress.getByName(text);
            if (text.contains(":") && parsed.getAddress().length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, -1);
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
