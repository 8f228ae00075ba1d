package io.switchboard.client.stun;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses "HOST[:PORT]" as the nat-check command takes it: IPv6 in brackets, port 3478 by default (RFC 8489 §18.4). */
public final class StunServerAddress {
    public static final int DEFAULT_PORT = 3478;

    private StunServerAddress() {
    }

    /** Resolves "host", "host:port", "1.2.3.4:3478", "[::1]:3478" or "::1"; an error message names what was wrong. */
    public static InetSocketAddress parse(String text) throws StunClientException {
        String value = text == null ? "" : text.trim();
        if (value.startsWith("stun:")) {
            value = value.substring("stun:".length());
        }
        String host;
        int port = DEFAULT_PORT;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new StunClientException("STUN server \"" + text + "\": missing ']'");
            }
            host = value.substring(1, close);
            String rest = value.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new StunClientException("STUN server \"" + text + "\": expected ':PORT' after ']'");
                }
                port = port(text, rest.substring(1));
            }
        } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            host = value.substring(0, value.indexOf(':'));
            port = port(text, value.substring(value.indexOf(':') + 1));
        } else {
            host = value;
        }
        if (host.isEmpty()) {
            throw new StunClientException("STUN server \"" + text + "\": missing host");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new StunClientException("STUN server \"" + text + "\": unknown host " + host, e);
        }
    }

    private static int port(String text, String digits) throws StunClientException {
        try {
            int port = Integer.parseInt(digits);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new StunClientException("STUN server \"" + text + "\": port must be 1-65535, got \"" + digits + "\"");
        }
    }

    /** "127.0.0.1:3478" or "[::1]:3478". */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
