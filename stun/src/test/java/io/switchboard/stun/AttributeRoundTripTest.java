package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every attribute record encodes, decodes to an equal record, and re-encodes to the same bytes. */
class AttributeRoundTripTest {
    static InetSocketAddress address(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ::ffff:a.b.c.d as an Inet6Address; InetAddress.getByName would turn it into IPv4. */
    static InetSocketAddress mappedIpv6(int port) {
        try {
            byte[] ip = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
            return new InetSocketAddress(java.net.Inet6Address.getByAddress(null, ip, -1), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<StunAttribute> everyAttribute() {
        return Stream.of(
                new MappedAddress(address("192.0.2.1", 3478)),
                new MappedAddress(address("2001:db8::1", 65535)),
                new XorMappedAddress(address("203.0.113.7", 1)),
                new XorMappedAddress(address("2001:db8:1234:5678:11:2233:4455:6677", 32853)),
                new XorPeerAddress(address("198.51.100.20", 40000)),
                new XorPeerAddress(mappedIpv6(9)),
                new XorRelayedAddress(address("192.0.2.15", 50000)),
                new AlternateServer(address("192.0.2.2", 3479)),
                new ResponseOrigin(address("127.0.0.1", 3478)),
                new OtherAddress(address("127.0.0.2", 3479)),
                new SourceAddress(address("10.0.0.1", 3478)),
                new ChangedAddress(address("10.0.0.2", 3479)),
                new Username("evtj:h6vY"),
                new Username("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9"),
                UserHash.of("alice", "example.org"),
                new MessageIntegrity(new byte[20]),
                new MessageIntegritySha256(new byte[16]),
                new MessageIntegritySha256(new byte[32]),
                new Fingerprint(0xe57a3bcf),
                new ErrorCode(438, "Stale Nonce"),
                ErrorCode.of(ErrorCode.TRY_ALTERNATE),
                new ErrorCode(699, ""),
                new Realm("example.org"),
                new Nonce("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"),
                new PasswordAlgorithms(List.of(PasswordAlgorithm.MD5_ALGORITHM, PasswordAlgorithm.SHA256_ALGORITHM,
                        new PasswordAlgorithm(0x7777, new byte[] {1, 2, 3}))),
                PasswordAlgorithm.SHA256_ALGORITHM,
                new PasswordAlgorithm(0x7777, new byte[] {1, 2, 3, 4, 5}),
                new UnknownAttributes(List.of(0x0002, 0x7F00, 0x0003)),
                new Software("Switchboard"),
                new AlternateDomain("turn.example.org"),
                new ChannelNumber(0x4000),
                new ChannelNumber(0x4FFF),
                new Lifetime(600),
                new Lifetime(0xFFFF_FFFFL),
                new Data(new byte[0]),
                new Data(new byte[] {1, 2, 3, 4, 5}),
                new RequestedAddressFamily(RequestedAddressFamily.IPV6),
                new EvenPort(true),
                new EvenPort(false),
                new RequestedTransport(RequestedTransport.UDP),
                new DontFragment(),
                new ReservationToken(0x0102030405060708L),
                new AdditionalAddressFamily(AdditionalAddressFamily.IPV6),
                new AddressErrorCode(AdditionalAddressFamily.IPV6, 440, "Address Family not Supported"),
                new Icmp(3, 4, 1400),
                new ConnectionId(0xDEADBEEFL),
                new ChangeRequest(true, true),
                new ChangeRequest(false, true),
                new Padding(new byte[7]),
                new ResponsePort(12345),
                new CacheTimeout(60),
                new Priority(0x6e0001ffL),
                new UseCandidate(),
                new IceControlled(0x932ff9b151263b36L),
                new IceControlling(-1L),
                new UnknownAttribute(0xC057, new byte[] {0, 1, 0, 0x0a}),
                new UnknownAttribute(0x7F01, new byte[] {9}));
    }

    @ParameterizedTest
    @MethodSource("everyAttribute")
    void attributeSurvivesEncodeDecodeEncode(StunAttribute attribute) throws Exception {
        for (TransactionId id : List.of(TransactionId.random(), TransactionId.of(new byte[16]))) {
            StunMessage sent = StunMessage.of(MessageType.BINDING_REQUEST, id, List.of(attribute));
            StunMessage received = StunMessage.decode(sent.toBytes());

            assertThat(received.attributes()).containsExactly(attribute);
            assertThat(received.toBytes()).isEqualTo(sent.toBytes());
            assertThat(sent.encodedLength()).isEqualTo(20 + 4 + ((attribute.valueLength() + 3) & ~3));
        }
    }

    @Test
    void roundTripCoversEveryAttributeRecord() {
        Set<Class<?>> covered = new HashSet<>();
        everyAttribute().forEach(a -> covered.add(a.getClass()));
        Set<Class<?>> records = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(StunAttribute.class));
        while (!todo.isEmpty()) {
            for (Class<?> sub : todo.pop().getPermittedSubclasses()) {
                if (sub.isInterface()) {
                    todo.push(sub);
                } else {
                    records.add(sub);
                }
            }
        }
        assertThat(records).hasSize(43);
        assertThat(covered).containsExactlyInAnyOrderElementsOf(records);
    }

    @Test
    void decodedTypesMatchTheirRecords() throws Exception {
        for (StunAttribute attribute : everyAttribute().toList()) {
            byte[] bytes = StunMessage.of(MessageType.BINDING_REQUEST, TransactionId.random(), List.of(attribute)).toBytes();
            assertThat(Bytes.getShort(bytes, 20)).as(attribute.toString()).isEqualTo(attribute.type());
        }
    }

    @Test
    void ipv4MappedIpv6PeerKeepsItsIpv6Family() throws Exception {
        StunMessage m = StunMessage.of(MessageType.BINDING_REQUEST, TransactionId.random(),
                List.of(new XorPeerAddress(mappedIpv6(9))));
        byte[] bytes = m.toBytes();
        assertThat(bytes[25]).as("family byte").isEqualTo((byte) 0x02);
        InetAddress decoded = StunMessage.decode(bytes).attribute(XorPeerAddress.class).orElseThrow().address().getAddress();
        assertThat(decoded.getAddress()).hasSize(16);
    }
}
