package io.switchboard.turn;

import io.switchboard.turn.policy.Quotas;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TurnServerConfigTest {
    @Test
    void defaultsFollowTheProductBrief() throws Exception {
        TurnServerConfig config = TurnServerConfig.builder().build();
        assertThat(config.bindAddress()).isEqualTo(InetAddress.getByName("0.0.0.0"));
        assertThat(config.port()).isEqualTo(3478);
        assertThat(config.tlsPort()).isEqualTo(5349);
        assertThat(config.relayPorts()).isEqualTo(new PortRange(49152, 65535));
        assertThat(config.software()).isEqualTo("Switchboard").doesNotContainPattern("\\d");
        assertThat(config.quotas()).isEqualTo(Quotas.DEFAULTS);
        assertThat(config.tcpRelay()).isFalse();
        assertThat(config.natDiscovery()).isFalse();
        assertThat(config.policy().peers().allowed()).isEmpty();
    }

    @Test
    void reversedRelayPortsNameTheOption() {
        assertThatThrownBy(() -> TurnServerConfig.builder().relayPorts("60000-50000"))
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("--relay-ports"))
                .hasMessage("--relay-ports: 60000-50000 is not LO-HI with LO <= HI");
        assertThatThrownBy(() -> TurnServerConfig.builder().relayPorts("abc")).hasMessageStartingWith("--relay-ports:");
        assertThatThrownBy(() -> TurnServerConfig.builder().relayPorts("0-10")).hasMessageStartingWith("--relay-ports:");
    }

    @Test
    void badValuesNameTheirOption() {
        assertThatThrownBy(() -> TurnServerConfig.builder().allowPeer("10.0.0.1/8")).hasMessageStartingWith("--allow-peer:");
        assertThatThrownBy(() -> TurnServerConfig.builder().denyPeer("nowhere")).hasMessageStartingWith("--deny-peer:");
        assertThatThrownBy(() -> TurnServerConfig.builder().user("alice")).hasMessageStartingWith("--user:");
        assertThatThrownBy(() -> TurnServerConfig.builder().bindAddress("example.org")).hasMessageStartingWith("--bind:");
        assertThatThrownBy(() -> TurnServerConfig.builder().externalIp("0.0.0.0").build())
                .hasMessageStartingWith("--external-ip:");
        assertThatThrownBy(() -> TurnServerConfig.builder().port(70000).build()).hasMessageStartingWith("--turn-port:");
        assertThatThrownBy(() -> TurnServerConfig.builder().realm("").build()).hasMessageStartingWith("--realm:");
        assertThatThrownBy(() -> TurnServerConfig.builder().authSecret("")).hasMessageStartingWith("--auth-secret:");
        assertThatThrownBy(() -> TurnServerConfig.builder().user("a:b").user("a:c").build()).hasMessageStartingWith("--user:");
    }

    @Test
    void alternateAddressNeedsASpecificBindAddressOfTheSameFamily() {
        assertThatThrownBy(() -> TurnServerConfig.builder().alternateAddress("127.0.0.2").build())
                .hasMessageStartingWith("--alternate-address:");
        assertThatThrownBy(() -> TurnServerConfig.builder().bindAddress("127.0.0.1").alternateAddress("::1").build())
                .hasMessageStartingWith("--alternate-address:");
        assertThat(TurnServerConfig.builder().bindAddress("127.0.0.1").alternateAddress("127.0.0.2").build().natDiscovery())
                .isTrue();
    }

    @Test
    void quotasRefuseNonsense() {
        assertThatThrownBy(() -> Quotas.DEFAULTS.withAllocationsPerUser(0)).hasMessageStartingWith("--user-quota:");
        assertThatThrownBy(() -> Quotas.DEFAULTS.withBytesPerSecondPerAllocation(-1)).hasMessageStartingWith("--max-bps:");
    }

    @Test
    void toBuilderKeepsEveryValue() {
        TurnServerConfig config = TurnServerConfig.builder().port(0).realm("r").user("a:b").authSecret("s")
                .allowPeer("127.0.0.0/8").denyPeer("8.8.8.8").tcpRelay(true).build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }
}
