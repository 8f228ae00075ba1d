package io.switchboard.client.stun;

import io.switchboard.stun.ChangeRequest;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NAT behaviour discovery with a STUN server that supports RFC 5780: the mapping tests of §4.3 (Binding to the
 * primary address, to the alternate IP, then to the alternate IP and port) and the filtering tests of §4.4 (CHANGE-REQUEST
 * for another IP and port, then for another port only), each from its own socket so that one test's traffic does not
 * open the NAT for the next. A test that gets no answer waits the full retransmission time of the options.
 *
 * <pre>{@code
 * NatCheckReport report = NatBehaviourCheck.run(StunServerAddress.parse("stun.example.org"), StunClientOptions.defaults());
 * System.out.println(report.toText());
 * }</pre>
 */
public final class NatBehaviourCheck {
    private NatBehaviourCheck() {
    }

    /** Runs the tests against {@code server}; fails only when the server does not answer the first Binding. */
    public static NatCheckReport run(InetSocketAddress server, StunClientOptions options) throws StunClientException {
        List<String> notes = new ArrayList<>();
        BindingResponse first;
        InetSocketAddress local;
        Optional<NatBehaviour> mapping = Optional.empty();
        try (StunClient client = StunClient.open(options)) {
            local = withRoutedAddress(client.localAddress(), server);
            first = client.binding(server);
            if (first.otherAddress().isPresent()) {
                mapping = mappingBehaviour(client, server, first, notes);
            }
        }
        boolean behindNat = !first.mappedAddress().equals(local);
        Optional<NatBehaviour> filtering = first.otherAddress().isPresent()
                ? filteringBehaviour(server, first.otherAddress().get(), options, notes)
                : Optional.empty();
        return new NatCheckReport(server, local, first.mappedAddress(), behindNat, first.responseOrigin(),
                first.otherAddress(), mapping, filtering, notes);
    }

    /** RFC 5780 §4.3: tests II and III compare the mapped addresses seen by the alternate IP and port. */
    private static Optional<NatBehaviour> mappingBehaviour(StunClient client, InetSocketAddress server,
                                                           BindingResponse first, List<String> notes) {
        InetSocketAddress other = first.otherAddress().orElseThrow();
        try {
            BindingResponse second = client.binding(new InetSocketAddress(other.getAddress(), server.getPort()));
            if (second.mappedAddress().equals(first.mappedAddress())) {
                return Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT);
            }
            BindingResponse third = client.binding(other);
            return Optional.of(third.mappedAddress().equals(second.mappedAddress())
                    ? NatBehaviour.ADDRESS_DEPENDENT : NatBehaviour.ADDRESS_AND_PORT_DEPENDENT);
        } catch (StunClientException e) {
            notes.add("mapping test failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** RFC 5780 §4.4: does a response from another IP and port, or another port only, get through? */
    private static Optional<NatBehaviour> filteringBehaviour(InetSocketAddress server, InetSocketAddress other,
                                                             StunClientOptions options, List<String> notes) {
        int notesBefore = notes.size();
        try (StunClient client = StunClient.open(options)) {
            client.binding(server);
            if (answersFromElsewhere(client, server, new ChangeRequest(true, true), notes)) {
                return Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT);
            }
            if (notes.size() > notesBefore) {
                return Optional.empty();
            }
            return Optional.of(answersFromElsewhere(client, server, new ChangeRequest(false, true), notes)
                    ? NatBehaviour.ADDRESS_DEPENDENT : NatBehaviour.ADDRESS_AND_PORT_DEPENDENT);
        } catch (StunClientException e) {
            notes.add("filtering test failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** True when the changed response arrived; false on a timeout; a note when the server ignored the request. */
    private static boolean answersFromElsewhere(StunClient client, InetSocketAddress server, ChangeRequest change,
                                                List<String> notes) throws StunClientException {
        try {
            BindingResponse response = client.binding(server, List.of(change));
            if (response.source().equals(server)) {
                notes.add("server ignored CHANGE-REQUEST: it answered from its primary address");
                return false;
            }
            return true;
        } catch (StunTimeoutException filtered) {
            return false;
        } catch (StunErrorResponseException e) {
            notes.add("server refused CHANGE-REQUEST: " + e.errorCode().code() + " " + e.errorCode().reason());
            return false;
        }
    }

    /**
     * The socket's address with the wildcard IP replaced by the one the system routes towards the server, so that it
     * can be compared with the mapped address.
     */
    private static InetSocketAddress withRoutedAddress(InetSocketAddress bound, InetSocketAddress server) {
        if (!bound.getAddress().isAnyLocalAddress()) {
            return bound;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(server);
            InetAddress routed = probe.getLocalAddress();
            return routed == null || routed.isAnyLocalAddress() ? bound : new InetSocketAddress(routed, bound.getPort());
        } catch (SocketException e) {
            return bound;
        }
    }
}
