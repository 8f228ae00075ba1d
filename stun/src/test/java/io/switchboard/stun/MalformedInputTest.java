package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of malformed input gives a {@link StunDecodeException} whose message says where and what. */
class MalformedInputTest {
    private static final String ID = "b7 e7 a7 01 bc 34 d6 86 fa 87 df ae";

    /** A Binding request header with this body length, the magic cookie and the RFC 5769 id, then {@code body}. */
    static byte[] message(int type, String body) {
        byte[] b = Hex.parse(body);
        return concat(new byte[] {(byte) (type >> 8), (byte) type, (byte) (b.length >> 8), (byte) b.length},
                Hex.parse("21 12 a4 42 " + ID), b);
    }

    static byte[] request(String body) {
        return message(0x0001, body);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] attribute(int type, byte[] value) {
        byte[] b = new byte[4 + ((value.length + 3) & ~3)];
        Bytes.putShort(b, 0, type);
        Bytes.putShort(b, 2, value.length);
        System.arraycopy(value, 0, b, 4, value.length);
        return b;
    }

    static byte[] withBody(byte[]... attributes) {
        byte[] body = concat(attributes);
        return request(Hex.format(body));
    }

    static Stream<Arguments> malformedMessages() {
        byte[] valid = request("80 22 00 04 61 62 63 64");
        byte[] badLength = valid.clone();
        Bytes.putShort(badLength, 2, 9);
        byte[] overrun = valid.clone();
        Bytes.putShort(overrun, 2, 12);
        byte[] manyAttributes = new byte[129 * 4];
        for (int i = 0; i < 129; i++) {
            Bytes.putShort(manyAttributes, 4 * i, AttributeType.USE_CANDIDATE);
        }
        return Stream.of(
                Arguments.of("empty datagram", new byte[0], "incomplete header: 0 bytes (expected: 20+ bytes)"),
                Arguments.of("truncated header", Arrays.copyOf(valid, 19), "incomplete header: 19 bytes (expected: 20+ bytes)"),
                Arguments.of("first two bits not zero", Hex.parse("80 01 00 00 21 12 a4 42 " + ID),
                        "not STUN: the first two bits must be 0, first byte is 0x80"),
                Arguments.of("length not a multiple of 4 (unpadded last attribute)", badLength,
                        "message length 9 is not a multiple of 4"),
                Arguments.of("length overruns the datagram", overrun, "message length field says 12 bytes but 8 follow the header"),
                Arguments.of("datagram cut inside an attribute", Arrays.copyOf(valid, 26),
                        "message length field says 8 bytes but 6 follow the header"),
                Arguments.of("wrong magic cookie on a TURN method", Hex.parse("00 03 00 00 21 12 a4 43 " + ID),
                        "wrong magic cookie 0x2112a443 (expected 0x2112a442, and type 0x0003 is no RFC 3489 message)"),
                Arguments.of("attribute length overruns the message", request("80 22 00 64 61 62 63 64"),
                        "attribute SOFTWARE: length 100 overruns the message (4 bytes left)"),
                Arguments.of("attribute padding runs into the next attribute's place", request("00 06 00 05 61 62 63 64"),
                        "attribute USERNAME: length 5 overruns the message (4 bytes left)"),
                Arguments.of("bad address family", request("00 20 00 08 00 03 a1 47 e1 12 a6 43"),
                        "attribute XOR-MAPPED-ADDRESS: unknown address family 0x03 (expected 0x01 IPv4 or 0x02 IPv6)"),
                Arguments.of("short peer address", request("00 12 00 06 00 01 a1 47 e1 12 00 00"),
                        "attribute XOR-PEER-ADDRESS: got 6 bytes, expected 8 or 20"),
                Arguments.of("IPv4 family with an IPv6 length", withBody(attribute(AttributeType.MAPPED_ADDRESS,
                        Hex.parse("00 01 0d 96 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"))),
                        "attribute MAPPED-ADDRESS: family IPv4 needs 8 bytes, got 20"),
                Arguments.of("oversize USERNAME", withBody(attribute(AttributeType.USERNAME, filled(513, 'u'))),
                        "attribute USERNAME: got 513 bytes, expected at most 512"),
                Arguments.of("oversize REALM", withBody(attribute(AttributeType.REALM, filled(764, 'r'))),
                        "attribute REALM: got 764 bytes, expected at most 763"),
                Arguments.of("oversize NONCE", withBody(attribute(AttributeType.NONCE, filled(800, 'n'))),
                        "attribute NONCE: got 800 bytes, expected at most 763"),
                Arguments.of("oversize SOFTWARE", withBody(attribute(AttributeType.SOFTWARE, filled(1000, 's'))),
                        "attribute SOFTWARE: got 1000 bytes, expected at most 763"),
                Arguments.of("oversize ERROR-CODE reason", withBody(attribute(AttributeType.ERROR_CODE,
                        concat(Hex.parse("00 00 04 00"), filled(764, 'e')))),
                        "attribute ERROR-CODE: got 768 bytes, expected 4 to 767"),
                Arguments.of("invalid UTF-8 in REALM", request("00 14 00 02 c3 28 00 00"), "attribute REALM: invalid UTF-8"),
                Arguments.of("error class out of range", request("00 09 00 04 00 00 02 00"),
                        "attribute ERROR-CODE: class 2 out of range 3-6"),
                Arguments.of("error number out of range", request("00 09 00 04 00 00 04 64"),
                        "attribute ERROR-CODE: number 100 out of range 0-99"),
                Arguments.of("short LIFETIME", request("00 0d 00 03 00 00 00 00"), "attribute LIFETIME: got 3 bytes, expected 4"),
                Arguments.of("short MESSAGE-INTEGRITY", withBody(attribute(AttributeType.MESSAGE_INTEGRITY, new byte[19])),
                        "attribute MESSAGE-INTEGRITY: got 19 bytes, expected 20"),
                Arguments.of("short MESSAGE-INTEGRITY-SHA256", withBody(attribute(AttributeType.MESSAGE_INTEGRITY_SHA256, new byte[12])),
                        "attribute MESSAGE-INTEGRITY-SHA256: got 12 bytes, expected 16 to 32"),
                Arguments.of("MESSAGE-INTEGRITY-SHA256 not a multiple of 4",
                        withBody(attribute(AttributeType.MESSAGE_INTEGRITY_SHA256, new byte[18])),
                        "attribute MESSAGE-INTEGRITY-SHA256: got 18 bytes, expected a multiple of 4"),
                Arguments.of("short FINGERPRINT", request("80 28 00 02 00 00 00 00"), "attribute FINGERPRINT: got 2 bytes, expected 4"),
                Arguments.of("odd UNKNOWN-ATTRIBUTES", request("00 0a 00 03 00 01 00 00"),
                        "attribute UNKNOWN-ATTRIBUTES: got 3 bytes, expected a multiple of 2"),
                Arguments.of("too many UNKNOWN-ATTRIBUTES", withBody(attribute(AttributeType.UNKNOWN_ATTRIBUTES, new byte[2 * 129])),
                        "attribute UNKNOWN-ATTRIBUTES: lists 129 types, at most 128 allowed"),
                Arguments.of("PASSWORD-ALGORITHM parameters overrun the attribute", request("00 1d 00 04 00 02 00 08"),
                        "attribute PASSWORD-ALGORITHM: truncated: needed 8 more bytes, 0 left"),
                Arguments.of("USERHASH of the wrong size", withBody(attribute(AttributeType.USERHASH, new byte[31])),
                        "attribute USERHASH: got 31 bytes, expected 32"),
                Arguments.of("ALTERNATE-DOMAIN not ASCII", withBody(attribute(AttributeType.ALTERNATE_DOMAIN, Hex.parse("c3 a9"))),
                        "attribute ALTERNATE-DOMAIN: not an ASCII domain name"),
                Arguments.of("more than 128 attributes", withBody(manyAttributes), "more than 128 attributes"));
    }

    static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedMessages")
    void malformedMessageGivesTypedErrorSayingWhereAndWhat(String what, byte[] input, String expected) {
        assertThatThrownBy(() -> StunMessage.decode(input))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage(expected);
    }

    @Test
    void errorInsideAnAttributeStillNamesTheMessageForA400() {
        byte[] input = request("00 12 00 06 00 01 a1 47 e1 12 00 00");
        assertThatThrownBy(() -> StunMessage.decode(input))
                .isInstanceOfSatisfying(StunDecodeException.class, e -> {
                    assertThat(e.messageType()).contains(MessageType.BINDING_REQUEST);
                    assertThat(e.transactionId()).contains(TransactionId.of(Hex.parse(ID)));
                });
        assertThatThrownBy(() -> StunMessage.decode(new byte[3]))
                .isInstanceOfSatisfying(StunDecodeException.class, e -> assertThat(e.messageType()).isEmpty());
    }

    @Test
    void wrongMagicCookieIsAnErrorWhenClassicStunIsRefused() {
        byte[] classic = Hex.parse("00 01 00 00 21 12 a4 43 " + ID);
        assertThatThrownBy(() -> new StunDecoder(16, false).decode(classic))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("wrong magic cookie 0x2112a443 (expected 0x2112a442)");
    }

    @Test
    void decodingOutsideTheArrayIsATypedError() {
        assertThatThrownBy(() -> StunMessage.decode(new byte[40], 30, 20))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("message: offset 30 and length 20 outside a buffer of 40 bytes");
    }
}
