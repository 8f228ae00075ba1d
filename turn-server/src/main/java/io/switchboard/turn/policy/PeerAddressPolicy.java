package io.switchboard.turn.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Which peer addresses a TURN allocation may relay to (RFC 8656 §21.3, "Preventing ... use of the TURN server to attack
 * its own network"): a default deny list of special-purpose blocks (RFC 6890), extended by {@code --deny-peer} and
 * overridden by {@code --allow-peer}, where allow wins as in coturn.
 *
 * <p>Addresses are checked as written and after normalising the IPv6 forms that carry an IPv4 address: IPv4-mapped
 * {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d} (RFC 6052) and 6to4
 * {@code 2002:AABB:CCDD::} (RFC 3056). A peer is refused when either form is denied and neither form is allowed.
 * Immutable; the server swaps a whole new policy on reload.
 */
public final class PeerAddressPolicy {
    /** The blocks relayed to only when {@code --allow-peer} names them (PRODUCT.md, "Security defaults"). */
    public static final List<Cidr> DEFAULT_DENY = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"), Cidr.parse("127.0.0.0/8"),
            Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.0.0.0/24"),
            Cidr.parse("192.0.2.0/24"), Cidr.parse("192.88.99.0/24"), Cidr.parse("192.168.0.0/16"),
            Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"), Cidr.parse("203.0.113.0/24"),
            Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("64:ff9b::/96"), Cidr.parse("100::/64"),
            Cidr.parse("2001::/32"), Cidr.parse("2002::/16"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"),
            Cidr.parse("ff00::/8"));

    private static final PeerAddressPolicy DEFAULT = new PeerAddressPolicy(List.of(), List.of());

    private final Cidr[] deny;
    private final Cidr[] allow;

    private PeerAddressPolicy(List<Cidr> allow, List<Cidr> extraDeny) {
        List<Cidr> denied = new ArrayList<>(DEFAULT_DENY);
        denied.addAll(extraDeny);
        this.deny = denied.toArray(new Cidr[0]);
        this.allow = allow.toArray(new Cidr[0]);
    }

    /** The secure default: everything in {@link #DEFAULT_DENY} refused, everything else relayed. */
    public static PeerAddressPolicy defaults() {
        return DEFAULT;
    }

    /** The default deny list plus {@code deny}, with {@code allow} taking precedence over both. */
    public static PeerAddressPolicy of(List<Cidr> allow, List<Cidr> deny) {
        return new PeerAddressPolicy(List.copyOf(allow), List.copyOf(deny));
    }

    public List<Cidr> allowed() {
        return List.of(allow);
    }

    /** The default deny list followed by the extra blocks. */
    public List<Cidr> denied() {
        return List.of(deny);
    }

    /** Whether relaying to this peer address is permitted. */
    public boolean permits(InetAddress peer) {
        byte[] written = peer.getAddress();
        byte[] normalised = embeddedIpv4(written);
        if (matches(allow, written) || (normalised != null && matches(allow, normalised))) {
            return true;
        }
        return !matches(deny, written) && (normalised == null || !matches(deny, normalised));
    }

    /**
     * The IPv4 address carried by an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address, or {@code null} when
     * the address carries none (IPv4 addresses, {@code ::} and {@code ::1} included).
     */
    public static InetAddress normalise(InetAddress address) {
        byte[] v4 = embeddedIpv4(address.getAddress());
        if (v4 == null) {
            return address;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] embeddedIpv4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        if (zero(a, 0, 10)) {
            boolean mapped = (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
            boolean compatible = a[10] == 0 && a[11] == 0 && !(zero(a, 12, 15) && (a[15] == 0 || a[15] == 1));
            return mapped || compatible ? slice(a, 12) : null;
        }
        // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052 §2.1).
        if (a[0] == 0 && a[1] == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B && zero(a, 4, 12)) {
            return slice(a, 12);
        }
        // 6to4 2002:V4ADDR::/48 (RFC 3056 §2).
        if (a[0] == 0x20 && a[1] == 0x02) {
            return slice(a, 2);
        }
        return null;
    }

    private static boolean matches(Cidr[] blocks, byte[] address) {
        for (Cidr block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean zero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] slice(byte[] a, int from) {
        byte[] out = new byte[4];
        System.arraycopy(a, from, out, 0, 4);
        return out;
    }

    @Override
    public String toString() {
        return "PeerAddressPolicy[allow=" + List.of(allow) + ", deny=" + List.of(deny) + "]";
    }
}
