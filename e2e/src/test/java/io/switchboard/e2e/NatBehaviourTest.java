package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 5780 NAT behaviour discovery with a second loopback address (127.0.0.2), checked by our client and coturn's. */
class NatBehaviourTest {
    private static SwitchboardProcess server;

    @BeforeAll
    static void start() {
        server = SwitchboardProcess.serve("--alternate-address", "127.0.0.2");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void listensOnBothAddressesAndBothPorts() {
        assertThat(server.listeners()).containsKeys("stun-alt-port", "stun-alt-ip", "stun-alt-ip-port");
        assertThat(server.listener("stun-alt-ip").getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void natCheckReportsEndpointIndependentMappingAndFilteringOnLoopback() {
        ExternalCommand result = ExternalCommand.switchboard(Duration.ofSeconds(60), "nat-check",
                "127.0.0.1:" + server.listener("turn-udp").getPort());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().toLowerCase()).contains("mapping", "filtering").contains("endpoint-independent")
                .doesNotContain("does not support rfc 5780");
    }

    @Test
    void coturnNatDiscoveryFindsNoNatBehindLoopback() {
        ExternalCommand result = ExternalCommand.run(Duration.ofSeconds(60), List.of("turnutils_natdiscovery",
                "-m", "-f", "-p", Integer.toString(server.listener("turn-udp").getPort()), "127.0.0.1"));
        assertThat(result.output()).as(result.output()).containsIgnoringCase("Endpoint Independent Mapping")
                .containsIgnoringCase("Endpoint Independent Filtering");
    }
}
