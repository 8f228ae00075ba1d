package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The four RFC 5769 test vectors: decoded, integrity and fingerprint verified, and re-encoded byte for byte. */
class Rfc5769VectorTest {
    private static final String SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    private static final TransactionId SAMPLE_ID = TransactionId.of(Hex.parse("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"));
    private static final String MATRIX_USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

    @Test
    void sampleRequestDecodesVerifiesAndReencodesByteForByte() throws Exception {
        byte[] vector = Hex.resource("rfc5769/sample-request.hex");
        StunMessage message = StunMessage.decode(vector);

        assertThat(message.type()).isEqualTo(MessageType.BINDING_REQUEST);
        assertThat(message.transactionId()).isEqualTo(SAMPLE_ID);
        assertThat(message.attributes()).containsExactly(
                new Software("STUN test client"),
                new Priority(0x6e0001ffL),
                new IceControlled(0x932ff9b151263b36L),
                new Username("evtj:h6vY"),
                new MessageIntegrity(Hex.parse("9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2")),
                new Fingerprint(0xe57a3bcf));
        byte[] key = IntegrityKeys.shortTerm(SHORT_TERM_PASSWORD);
        assertThat(MessageIntegrity.verify(message, key)).isTrue();
        assertThat(MessageIntegrity.verify(message, IntegrityKeys.shortTerm("VOkJxbRl1RmTxUk/WvJxBT"))).isFalse();
        assertThat(Fingerprint.verify(message)).isTrue();

        StunMessage rebuilt = StunMessage.builder(message.type(), message.transactionId())
                .paddingByte((byte) 0x20)
                .addAll(message.attributes().subList(0, 4))
                .messageIntegrity(key)
                .fingerprint()
                .build();
        assertThat(Hex.format(rebuilt.toBytes())).isEqualTo(Hex.format(vector));
        assertThat(StunMessage.of(message.type(), message.transactionId(), message.attributes()).toBytes())
                .as("verbatim re-encoding pads with zeros, the RFC with spaces").hasSize(vector.length);
    }

    @Test
    void ipv4ResponseDecodesTheMappedAddressAndReencodesByteForByte() throws Exception {
        byte[] vector = Hex.resource("rfc5769/ipv4-response.hex");
        StunMessage message = StunMessage.decode(vector);

        assertThat(message.type()).isEqualTo(MessageType.BINDING_SUCCESS);
        assertThat(message.attribute(XorMappedAddress.class).orElseThrow().address())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(message.attribute(Software.class).orElseThrow().description()).isEqualTo("test vector");
        byte[] key = IntegrityKeys.shortTerm(SHORT_TERM_PASSWORD);
        assertThat(MessageIntegrity.verify(message, key)).isTrue();
        assertThat(Fingerprint.verify(message)).isTrue();

        StunMessage rebuilt = StunMessage.builder(MessageType.BINDING_SUCCESS, SAMPLE_ID)
                .paddingByte((byte) 0x20)
                .add(new Software("test vector"))
                .add(new XorMappedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853)))
                .messageIntegrity(key)
                .fingerprint()
                .build();
        assertThat(Hex.format(rebuilt.toBytes())).isEqualTo(Hex.format(vector));
    }

    @Test
    void ipv6ResponseDecodesTheMappedAddressAndReencodesByteForByte() throws Exception {
        byte[] vector = Hex.resource("rfc5769/ipv6-response.hex");
        StunMessage message = StunMessage.decode(vector);

        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        assertThat(message.attribute(XorMappedAddress.class).orElseThrow().address()).isEqualTo(mapped);
        byte[] key = IntegrityKeys.shortTerm(SHORT_TERM_PASSWORD);
        assertThat(MessageIntegrity.verify(message, key)).isTrue();
        assertThat(Fingerprint.verify(message)).isTrue();

        StunMessage rebuilt = StunMessage.builder(MessageType.BINDING_SUCCESS, SAMPLE_ID)
                .paddingByte((byte) 0x20)
                .add(new Software("test vector"))
                .add(new XorMappedAddress(mapped))
                .messageIntegrity(key)
                .fingerprint()
                .build();
        assertThat(Hex.format(rebuilt.toBytes())).isEqualTo(Hex.format(vector));
    }

    @Test
    void longTermRequestVerifiesWithTheSaslPreparedPasswordAndReencodesByteForByte() throws Exception {
        byte[] vector = Hex.resource("rfc5769/long-term-request.hex");
        StunMessage message = StunMessage.decode(vector);

        assertThat(message.attribute(Username.class).orElseThrow().name()).isEqualTo(MATRIX_USERNAME);
        assertThat(message.attribute(Nonce.class).orElseThrow().nonce()).isEqualTo("f//499k954d6OL34oL9FSTvy64sA");
        assertThat(message.attribute(Realm.class).orElseThrow().realm()).isEqualTo("example.org");
        assertThat(message.contains(AttributeType.FINGERPRINT)).isFalse();
        assertThat(Fingerprint.verify(message)).isFalse();

        // The RFC's password is "The<U+00AD>M<U+00AA>tr<U+2168>"; SASLprep (RFC 4013) made it "TheMatrIX".
        byte[] key = IntegrityKeys.longTermMd5(MATRIX_USERNAME, "example.org", "TheMatrIX");
        assertThat(MessageIntegrity.verify(message, key)).isTrue();
        assertThat(MessageIntegrity.verify(message, IntegrityKeys.longTermMd5(MATRIX_USERNAME, "example.org", "thematrix")))
                .isFalse();

        StunMessage rebuilt = StunMessage.builder(MessageType.BINDING_REQUEST, message.transactionId())
                .addAll(List.of(new Username(MATRIX_USERNAME), new Nonce("f//499k954d6OL34oL9FSTvy64sA"),
                        new Realm("example.org")))
                .messageIntegrity(key)
                .build();
        assertThat(Hex.format(rebuilt.toBytes())).isEqualTo(Hex.format(vector));
        assertThat(StunMessage.of(message.type(), message.transactionId(), message.attributes()).toBytes()).isEqualTo(vector);
    }

    @Test
    void opaqueStringRefusesTheRawRfc5769PasswordWhereSaslprepMappedCharactersAway() {
        // OpaqueString (RFC 8265) has no "mapped to nothing" table: the soft hyphen is disallowed, not removed.
        assertThatThrownBy(() -> OpaqueString.prepare("The\u00ADM\u00AAtr\u2168"))
                .isInstanceOf(OpaqueStringException.class)
                .hasMessageContaining("U+00AD");
        assertThat(OpaqueString.prepare("TheMatrIX")).isEqualTo("TheMatrIX");
        assertThat(new String(IntegrityKeys.shortTerm("TheMatrIX"), StandardCharsets.UTF_8)).isEqualTo("TheMatrIX");
    }
}
