package io.switchboard.client.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 5780 NAT behaviour discovery against coturn on loopback, where there is no NAT at all. */
class NatBehaviourCheckTest {
    private static final StunClientOptions OPTIONS = StunClientOptions.defaults()
            .withLocalAddress(new InetSocketAddress("127.0.0.1", 0))
            .withInitialRto(Duration.ofMillis(50))
            .withMaxRequests(4)
            .withLastWaitMultiplier(4);

    @Test
    void reportsEndpointIndependentMappingAndFilteringOnLoopback() throws Exception {
        try (Coturn coturn = Coturn.withRfc5780()) {
            NatCheckReport report = NatBehaviourCheck.run(coturn.primary(), OPTIONS);

            assertThat(report.mappedAddress().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(report.mappedAddress()).isEqualTo(report.localAddress());
            assertThat(report.behindNat()).isFalse();
            assertThat(report.rfc5780Supported()).isTrue();
            assertThat(report.otherAddress()).contains(new InetSocketAddress("127.0.0.2", coturn.port() + 1));
            assertThat(report.mapping()).contains(NatBehaviour.ENDPOINT_INDEPENDENT);
            assertThat(report.filtering()).contains(NatBehaviour.ENDPOINT_INDEPENDENT);
            assertThat(report.notes()).isEmpty();
            assertThat(report.toText())
                    .contains("mapped address   127.0.0.1:" + report.localAddress().getPort() + " (no NAT)")
                    .contains("other address    127.0.0.2:" + (coturn.port() + 1))
                    .contains("mapping          endpoint-independent")
                    .contains("filtering        endpoint-independent");
        }
    }

    @Test
    void socketBoundToTheWildcardAddressIsComparedByItsRoutedAddress() throws Exception {
        try (Coturn coturn = Coturn.withRfc5780()) {
            NatCheckReport report = NatBehaviourCheck.run(coturn.primary(),
                    OPTIONS.withLocalAddress(new InetSocketAddress(0)));

            assertThat(report.localAddress().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(report.mappedAddress()).isEqualTo(report.localAddress());
            assertThat(report.behindNat()).isFalse();
            assertThat(report.mapping()).contains(NatBehaviour.ENDPOINT_INDEPENDENT);
        }
    }

    @Test
    void reportsThatTheServerDoesNotSupportRfc5780WhenItSendsNoOtherAddress() throws Exception {
        try (Coturn coturn = Coturn.withoutRfc5780()) {
            NatCheckReport report = NatBehaviourCheck.run(coturn.primary(), OPTIONS);

            assertThat(report.rfc5780Supported()).isFalse();
            assertThat(report.mapping()).isEmpty();
            assertThat(report.filtering()).isEmpty();
            assertThat(report.mappedAddress()).isEqualTo(report.localAddress());
            assertThat(report.toText()).contains("NAT behaviour    server does not support RFC 5780");
        }
    }

    @Test
    void failsWithATypedErrorWhenNoServerAnswers() throws Exception {
        try (SilentUdpPeer silent = new SilentUdpPeer()) {
            assertThatThrownBy(() -> NatBehaviourCheck.run(silent.address(), OPTIONS))
                    .isInstanceOf(StunTimeoutException.class)
                    .hasMessageStartingWith("no STUN response from " + StunServerAddress.format(silent.address())
                            + " after 4 attempts");
        }
    }
}
