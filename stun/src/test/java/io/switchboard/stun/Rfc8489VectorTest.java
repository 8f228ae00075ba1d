package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * RFC 8489 Appendix B.1 (MESSAGE-INTEGRITY-SHA256 with USERHASH). The published vector is inconsistent; RFC Errata
 * ID 6268 corrects it. These tests document what is wrong with the published bytes and verify the corrected ones.
 */
class Rfc8489VectorTest {
    private static final String USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
    private static final String NONCE = "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA";

    @Test
    void correctedVectorDecodesVerifiesWithTheSha256KeyAndReencodesByteForByte() throws Exception {
        byte[] vector = Hex.resource("rfc8489/b1-errata-6268.hex");
        StunMessage message = StunMessage.decode(vector);

        assertThat(message.attribute(UserHash.class).orElseThrow()).isEqualTo(UserHash.of(USERNAME, "example.org"));
        assertThat(message.attribute(Nonce.class).orElseThrow().nonce()).isEqualTo(NONCE);
        assertThat(message.attribute(Nonce.class).orElseThrow().hasNonceCookie()).isTrue();
        assertThat(message.attribute(PasswordAlgorithm.class).orElseThrow()).isEqualTo(PasswordAlgorithm.SHA256_ALGORITHM);
        byte[] key = IntegrityKeys.longTerm(PasswordAlgorithm.SHA256_ALGORITHM, USERNAME, "example.org", "TheMatrIX");
        assertThat(MessageIntegritySha256.verify(message, key)).isTrue();
        assertThat(MessageIntegritySha256.verify(message, IntegrityKeys.longTermMd5(USERNAME, "example.org", "TheMatrIX")))
                .isFalse();
        assertThat(MessageIntegrity.verify(message, key)).as("no MESSAGE-INTEGRITY in this vector").isFalse();

        StunMessage rebuilt = StunMessage.builder(MessageType.BINDING_REQUEST, message.transactionId())
                .addAll(List.of(UserHash.of(USERNAME, "example.org"), new Nonce(NONCE), new Realm("example.org"),
                        PasswordAlgorithm.SHA256_ALGORITHM))
                .messageIntegritySha256(key)
                .build();
        assertThat(Hex.format(rebuilt.toBytes())).isEqualTo(Hex.format(vector));
    }

    @Test
    void publishedVectorFailsToDecodeBecauseItsLengthFieldCountsTheHeader() {
        byte[] published = Hex.resource("rfc8489/b1-published.hex");
        assertThat(published).hasSize(0x9c);

        assertThatThrownBy(() -> StunMessage.decode(published))
                .isInstanceOf(StunDecodeException.class)
                .hasMessage("message length field says 156 bytes but 136 follow the header");
    }

    @Test
    void publishedVectorHmacWasComputedOverItsWrongLengthFieldWithTheSha256Key() throws Exception {
        byte[] published = Hex.resource("rfc8489/b1-published.hex");
        byte[] fixedLength = published.clone();
        fixedLength[3] = (byte) 0x88;
        StunMessage message = StunMessage.decode(fixedLength);
        byte[] sha256Key = IntegrityKeys.longTermSha256(USERNAME, "example.org", "TheMatrIX");
        byte[] md5Key = IntegrityKeys.longTermMd5(USERNAME, "example.org", "TheMatrIX");

        // With a correct length field the printed HMAC matches neither key...
        assertThat(message.contains(AttributeType.PASSWORD_ALGORITHM)).isFalse();
        assertThat(MessageIntegritySha256.verify(message, sha256Key)).isFalse();
        assertThat(MessageIntegritySha256.verify(message, md5Key)).isFalse();
        // ...because it is HMAC-SHA256 under the SHA-256 key of the bytes before it with 0x9c left in the header.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(sha256Key, "HmacSHA256"));
        byte[] printed = Arrays.copyOfRange(published, published.length - 32, published.length);
        assertThat(mac.doFinal(Arrays.copyOf(published, published.length - 36))).isEqualTo(printed);
    }

    @Test
    void userHashIsSha256OfUsernameColonRealm() throws Exception {
        byte[] expected = java.security.MessageDigest.getInstance("SHA-256")
                .digest((USERNAME + ":example.org").getBytes(StandardCharsets.UTF_8));
        assertThat(UserHash.of(USERNAME, "example.org").hash()).isEqualTo(expected);
        assertThat(Hex.format(expected)).startsWith("4a 3c f3 8f");
    }
}
