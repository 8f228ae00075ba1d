package io.switchboard.turn.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PeerAddressPolicyTest {
    private final PeerAddressPolicy defaults = PeerAddressPolicy.defaults();

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.1.2.3", "100.64.0.1", "127.0.0.1", "127.255.255.254",
            "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1", "192.168.1.1",
            "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
            "240.0.0.1", "255.255.255.255",
            "::", "::1", "64:ff9b::1", "100::1", "2001::1", "2001:0:ffff::1", "2002::1", "fc00::1", "fd12:3456::1",
            "fe80::1", "febf::1", "ff02::1"})
    void refusesEveryBlockOfTheDefaultDenyList(String address) throws Exception {
        assertThat(defaults.permits(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.128.0.1", "172.32.0.1", "192.169.0.1", "198.20.0.1",
            "2606:4700::1111", "2a00:1450:4001::200e"})
    void relaysToPublicAddresses(String address) throws Exception {
        assertThat(defaults.permits(InetAddress.getByName(address))).isTrue();
    }

    @Test
    void refusesLoopbackWrittenAsIpv4MappedIpv6() throws Exception {
        assertThat(defaults.permits(ipv6("::ffff:127.0.0.1"))).isFalse();
        assertThat(defaults.permits(ipv6("::ffff:10.1.2.3"))).isFalse();
    }

    @Test
    void refusesPrivateAddressWrittenAsIpv4CompatibleIpv6() throws Exception {
        assertThat(defaults.permits(ipv6("::10.1.2.3"))).isFalse();
        assertThat(defaults.permits(ipv6("::169.254.169.254"))).isFalse();
    }

    @Test
    void refusesMetadataAddressHiddenInNat64And6to4() throws Exception {
        assertThat(defaults.permits(ipv6("64:ff9b::a9fe:a9fe"))).isFalse();
        assertThat(defaults.permits(ipv6("2002:a9fe:a9fe::1"))).isFalse();
    }

    @Test
    void normalisesEmbeddedIpv4Forms() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(PeerAddressPolicy.normalise(ipv6("::ffff:127.0.0.1"))).isEqualTo(loopback);
        assertThat(PeerAddressPolicy.normalise(ipv6("::127.0.0.1"))).isEqualTo(loopback);
        assertThat(PeerAddressPolicy.normalise(ipv6("64:ff9b::7f00:1"))).isEqualTo(loopback);
        assertThat(PeerAddressPolicy.normalise(ipv6("2002:7f00:1::"))).isEqualTo(loopback);
        assertThat(PeerAddressPolicy.normalise(ipv6("::1"))).isEqualTo(ipv6("::1"));
        assertThat(PeerAddressPolicy.normalise(ipv6("2606:4700::1111"))).isEqualTo(ipv6("2606:4700::1111"));
    }

    @Test
    void allowPeerWinsOverTheDefaultDenyListInEveryWriting() throws Exception {
        PeerAddressPolicy policy = PeerAddressPolicy.of(List.of(Cidr.parse("127.0.0.0/8")), List.of());
        assertThat(policy.permits(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(policy.permits(ipv6("::ffff:127.0.0.1"))).isTrue();
        assertThat(policy.permits(InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @Test
    void allowPeerWinsOverDenyPeer() throws Exception {
        PeerAddressPolicy policy = PeerAddressPolicy.of(List.of(Cidr.parse("8.8.8.8/32")), List.of(Cidr.parse("8.8.0.0/16")));
        assertThat(policy.permits(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(policy.permits(InetAddress.getByName("8.8.4.4"))).isFalse();
    }

    @Test
    void denyPeerAddsToTheDefaults() throws Exception {
        PeerAddressPolicy policy = PeerAddressPolicy.of(List.of(), List.of(Cidr.parse("1.1.1.0/24")));
        assertThat(policy.permits(InetAddress.getByName("1.1.1.1"))).isFalse();
        assertThat(policy.permits(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(policy.permits(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(policy.denied()).containsAll(PeerAddressPolicy.DEFAULT_DENY).contains(Cidr.parse("1.1.1.0/24"));
    }

    private static InetAddress ipv6(String literal) throws Exception {
        return java.net.Inet6Address.getByAddress(null, InetAddress.getByName(literal).getAddress().length == 16
                ? InetAddress.getByName(literal).getAddress() : mapped(InetAddress.getByName(literal).getAddress()), -1);
    }

    private static byte[] mapped(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xFF;
        out[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }
}
