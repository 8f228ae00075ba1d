package io.switchboard.turn.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address block written as {@code ADDRESS/PREFIX} (RFC 4632, RFC 4291 §2.3); a bare address is a
 * block of one. Parsing never touches DNS: only literal addresses are accepted.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code fc00::/7}, {@code 192.0.2.1} or {@code ::1}; host bits after the prefix must
     * be zero so that a typo does not silently widen or narrow the block.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty CIDR (expected ADDRESS/PREFIX such as 10.0.0.0/8 or fc00::/7)");
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address = parseLiteral(addressPart);
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not a literal IPv4 or IPv6 address block"
                    + " (expected ADDRESS/PREFIX such as 10.0.0.0/8 or fc00::/7)");
        }
        int maxPrefix = address.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String prefixPart = trimmed.substring(slash + 1);
            if (prefixPart.isEmpty() || prefixPart.length() > 3 || !prefixPart.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be a number 0-" + maxPrefix);
            }
            prefix = Integer.parseInt(prefixPart);
            if (prefix > maxPrefix) {
                throw new IllegalArgumentException("'" + text + "': prefix length " + prefix + " exceeds " + maxPrefix);
            }
        }
        byte[] masked = mask(address, prefix);
        if (!Arrays.equals(masked, address)) {
            throw new IllegalArgumentException("'" + text + "': host bits set after the /" + prefix + " prefix (did you mean "
                    + format(masked) + "/" + prefix + "?)");
        }
        return new Cidr(masked, prefix);
    }

    /** The block of exactly this address. */
    public static Cidr of(InetAddress address) {
        byte[] bytes = address.getAddress();
        return new Cidr(bytes, bytes.length * 8);
    }

    /** Whether the address lies in this block; an address of the other family never does. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public InetAddress network() {
        try {
            return InetAddress.getByAddress(network.clone());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    /** 4 bytes for a dotted quad, 16 for an IPv6 literal (which must contain ':'), null otherwise. */
    static byte[] parseLiteral(String text) {
        if (text.indexOf(':') >= 0) {
            String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
            if (literal.indexOf('%') >= 0 || !literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return null;
            }
            try {
                // A literal containing ':' is parsed, never resolved. IPv4-mapped literals come back as Inet4Address.
                InetAddress parsed = InetAddress.getByName(literal);
                if (parsed instanceof Inet6Address) {
                    return parsed.getAddress();
                }
                byte[] v4 = parsed.getAddress();
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(v4, 0, mapped, 12, 4);
                return mapped;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(p);
            if (value > 255) {
                return null;
            }
            out[i] = (byte) value;
        }
        return out;
    }

    private static String format(byte[] address) {
        try {
            InetAddress a = address.length == 4 ? Inet4Address.getByAddress(address) : Inet6Address.getByAddress(null, address, -1);
            return a.getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr && prefixLength == ((Cidr) o).prefixLength && Arrays.equals(network, ((Cidr) o).network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** The canonical form, e.g. {@code 10.0.0.0/8} or {@code fc00:0:0:0:0:0:0:0/7}. */
    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }
}
