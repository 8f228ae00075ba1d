package io.switchboard.client.stun;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@link NatBehaviourCheck} found: the mapped address and, when the server supports RFC 5780, the NAT's mapping
 * and filtering behaviour.
 *
 * @param server the STUN server's primary address
 * @param localAddress the client socket used for the mapping tests
 * @param mappedAddress the reflexive address the server saw (test I)
 * @param behindNat whether the mapped address differs from the local one (RFC 5780 §4.3, first test)
 * @param responseOrigin RESPONSE-ORIGIN of the first response, if sent
 * @param otherAddress OTHER-ADDRESS of the first response; empty when the server does not support RFC 5780
 * @param mapping the mapping behaviour, when the tests could tell
 * @param filtering the filtering behaviour, when the tests could tell
 * @param notes why something is unknown, one sentence each
 */
public record NatCheckReport(InetSocketAddress server, InetSocketAddress localAddress, InetSocketAddress mappedAddress,
                             boolean behindNat, Optional<InetSocketAddress> responseOrigin,
                             Optional<InetSocketAddress> otherAddress, Optional<NatBehaviour> mapping,
                             Optional<NatBehaviour> filtering, List<String> notes) {
    public static final String NO_RFC_5780 = "server does not support RFC 5780 (no OTHER-ADDRESS in its response)";

    public NatCheckReport {
        notes = List.copyOf(notes);
    }

    /** Whether the server answered with OTHER-ADDRESS, so that behaviour tests were possible. */
    public boolean rfc5780Supported() {
        return otherAddress.isPresent();
    }

    /** The report as aligned "label  value" lines, for people. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(line("STUN server", StunServerAddress.format(server)));
        lines.add(line("local address", StunServerAddress.format(localAddress)));
        lines.add(line("mapped address", StunServerAddress.format(mappedAddress) + (behindNat ? " (behind a NAT)" : " (no NAT)")));
        responseOrigin.ifPresent(a -> lines.add(line("response origin", StunServerAddress.format(a))));
        otherAddress.ifPresent(a -> lines.add(line("other address", StunServerAddress.format(a))));
        if (!rfc5780Supported()) {
            lines.add(line("NAT behaviour", NO_RFC_5780));
        } else {
            lines.add(line("mapping", mapping.map(NatBehaviour::label).orElse("unknown")));
            lines.add(line("filtering", filtering.map(NatBehaviour::label).orElse("unknown")));
        }
        for (String note : notes) {
            lines.add(line("note", note));
        }
        return lines;
    }

    /** {@link #lines()} joined with newlines. */
    public String toText() {
        return String.join("\n", lines());
    }

    private static String line(String label, String value) {
        return String.format("%-16s %s", label, value);
    }
}
