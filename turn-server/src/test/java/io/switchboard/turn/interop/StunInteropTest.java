package io.switchboard.turn.interop;

import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** coturn's turnutils_stunclient and turnutils_natdiscovery against Switchboard's Binding server over UDP. */
class StunInteropTest {
    @Test
    void stunclientReportsTheAddressTheServerSawAsMappedAddress() throws Exception {
        try (TurnServer server = TestServers.start(b -> b);
             UdpForwarder nat = new UdpForwarder(server.udpAddress())) {
            String output = CoturnTools.run(CoturnTools.logFile("stunclient"), "turnutils_stunclient",
                    "-p", Integer.toString(nat.frontAddress().getPort()), "127.0.0.1");
            assertThat(output).contains("UDP reflexive addr: 127.0.0.1:" + nat.backAddress().getPort());
        }
    }

    @Test
    void stunclientGetsOtherAddressAndResponseOriginFromAnRfc5780Server() throws Exception {
        try (TurnServer server = TestServers.start(b -> b.alternateAddress("127.0.0.2"))) {
            String output = CoturnTools.run(CoturnTools.logFile("stunclient-5780"), "turnutils_stunclient", "-f",
                    "-p", Integer.toString(server.udpAddress().getPort()), "127.0.0.1");
            assertThat(output).contains("Response origin: : 127.0.0.1:" + server.udpAddress().getPort());
            assertThat(output).contains("Other addr: : " + server.otherAddress().orElseThrow().getAddress().getHostAddress()
                    + ":" + server.otherAddress().orElseThrow().getPort());
            assertThat(output).contains("RFC 5780 response 3");
        }
    }

    @Test
    void natdiscoveryFindsEndpointIndependentMappingAndFilteringOnLoopback() throws Exception {
        try (TurnServer server = TestServers.start(b -> b.alternateAddress("127.0.0.2"))) {
            int localPort = CoturnTools.freeUdpPort();
            String output = CoturnTools.run(CoturnTools.logFile("natdiscovery"), "turnutils_natdiscovery", "-m", "-f",
                    "-L", "127.0.0.1", "-l", Integer.toString(localPort),
                    "-p", Integer.toString(server.udpAddress().getPort()), "127.0.0.1");
            assertThat(output).contains("UDP reflexive addr: 127.0.0.1:" + localPort);
            assertThat(output).contains("Response origin: : 127.0.0.2:");
            assertThat(output).contains("NAT with Endpoint Independent Mapping!");
            assertThat(output).contains("NAT with Endpoint Independent Filtering!");
        }
    }

    @Test
    void natdiscoveryGetsNoRfc5780AnswersWithoutAnAlternateAddress() throws Exception {
        try (TurnServer server = TestServers.start(b -> b)) {
            String output = CoturnTools.run(CoturnTools.logFile("natdiscovery-off"), "turnutils_natdiscovery", "-m",
                    "-p", Integer.toString(server.udpAddress().getPort()), "127.0.0.1");
            assertThat(output).doesNotContain("Other addr");
            assertThat(output).doesNotContain("Endpoint Independent Mapping");
        }
    }
}
