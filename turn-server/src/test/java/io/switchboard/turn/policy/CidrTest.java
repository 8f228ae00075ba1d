package io.switchboard.turn.policy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {
    @Test
    void containsAddressesInsideThePrefixOnly() throws Exception {
        Cidr block = Cidr.parse("100.64.0.0/10");
        assertThat(block.contains(InetAddress.getByName("100.64.0.1"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("100.127.255.255"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("100.128.0.0"))).isFalse();
        assertThat(block.contains(InetAddress.getByName("100.63.255.255"))).isFalse();
    }

    @Test
    void ipv6BlockNeverContainsAnIpv4Address() throws Exception {
        Cidr block = Cidr.parse("::/0");
        assertThat(block.contains(InetAddress.getByName("fe80::1"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @Test
    void bareAddressIsABlockOfOne() throws Exception {
        Cidr block = Cidr.parse("::1");
        assertThat(block.prefixLength()).isEqualTo(128);
        assertThat(block.contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("::2"))).isFalse();
    }

    @Test
    void refusesHostBitsAfterThePrefixAndSuggestsTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits set").hasMessageContaining("10.0.0.0/8");
    }

    @Test
    void refusesNamesInsteadOfResolvingThem() {
        assertThatThrownBy(() -> Cidr.parse("localhost/8")).hasMessageContaining("not a literal");
        assertThatThrownBy(() -> Cidr.parse("10/8")).hasMessageContaining("not a literal");
        assertThatThrownBy(() -> Cidr.parse("256.0.0.0/8")).hasMessageContaining("not a literal");
    }

    @Test
    void refusesPrefixLongerThanTheAddress() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("exceeds 32");
        assertThatThrownBy(() -> Cidr.parse("::/129")).hasMessageContaining("exceeds 128");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("prefix length");
    }

    @Test
    void equalBlocksAreEqualWhateverTheSpelling() {
        assertThat(Cidr.parse("fc00::/7")).isEqualTo(Cidr.parse("fc00:0:0:0::/7"));
        assertThat(Cidr.parse("192.168.0.0/16").toString()).isEqualTo("192.168.0.0/16");
    }
}
