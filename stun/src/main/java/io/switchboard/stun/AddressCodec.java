package io.switchboard.stun;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** The address value shared by MAPPED-ADDRESS and the XOR-ed attributes (RFC 8489 §14.1, §14.2). */
final class AddressCodec {
    static final int FAMILY_IPV4 = 0x01;
    static final int FAMILY_IPV6 = 0x02;
    static final int IPV4_VALUE_LENGTH = 8;
    static final int IPV6_VALUE_LENGTH = 20;

    private AddressCodec() {
    }

    static InetSocketAddress requireResolved(InetSocketAddress address, String attribute) {
        if (address == null || address.isUnresolved() || address.getAddress() == null) {
            throw new IllegalArgumentException(attribute + " needs a resolved address, got " + address);
        }
        return address;
    }

    static int valueLength(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? IPV4_VALUE_LENGTH : IPV6_VALUE_LENGTH;
    }

    /** Writes family, port and address; XOR-ed with the cookie and id when {@code xorWith} is not null. */
    static void write(ByteBuffer out, InetSocketAddress address, TransactionId xorWith) {
        byte[] ip = address.getAddress().getAddress();
        int port = address.getPort();
        out.put((byte) 0);
        out.put((byte) (ip.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6));
        if (xorWith != null) {
            port ^= StunMessage.MAGIC_COOKIE >>> 16;
        }
        out.putShort((short) port);
        for (int i = 0; i < ip.length; i++) {
            out.put(xorWith == null ? ip[i] : (byte) (ip[i] ^ xorWith.xorKey(i)));
        }
    }

    static InetSocketAddress decode(StunReader r, TransactionId xorWith) throws StunDecodeException {
        r.requireLength(IPV4_VALUE_LENGTH, IPV6_VALUE_LENGTH);
        r.skip(1);
        int family = r.u8();
        int port = r.u16();
        int ipLength;
        if (family == FAMILY_IPV4) {
            ipLength = 4;
        } else if (family == FAMILY_IPV6) {
            ipLength = 16;
        } else {
            throw r.error(String.format("unknown address family 0x%02x (expected 0x01 IPv4 or 0x02 IPv6)", family));
        }
        if (r.remaining() != ipLength) {
            throw r.error("family " + (family == FAMILY_IPV4 ? "IPv4" : "IPv6") + " needs " + (4 + ipLength)
                    + " bytes, got " + (4 + r.remaining()));
        }
        byte[] ip = r.bytes(ipLength);
        if (xorWith != null) {
            port ^= StunMessage.MAGIC_COOKIE >>> 16;
            for (int i = 0; i < ip.length; i++) {
                ip[i] ^= xorWith.xorKey(i);
            }
        }
        return new InetSocketAddress(toInetAddress(ip), port);
    }

    /** Keeps the wire family: an IPv4-mapped IPv6 address stays an {@link Inet6Address}. */
    static InetAddress toInetAddress(byte[] ip) {
        try {
            return ip.length == 4 ? InetAddress.getByAddress(ip) : Inet6Address.getByAddress(null, ip, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes always make an address", e);
        }
    }
}
