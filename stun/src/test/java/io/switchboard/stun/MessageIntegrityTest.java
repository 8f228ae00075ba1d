package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (RFC 8489 §14.5-14.7), computed and checked. */
class MessageIntegrityTest {
    private static final byte[] KEY = IntegrityKeys.longTermMd5("alice", "example.org", "secret");

    static StunMessage signed() {
        return StunMessage.builder(StunMethod.ALLOCATE.request())
                .add(new RequestedTransport(RequestedTransport.UDP))
                .add(new Username("alice"))
                .messageIntegrity(KEY)
                .messageIntegritySha256(IntegrityKeys.longTermSha256("alice", "example.org", "secret"))
                .fingerprint()
                .build();
    }

    @Test
    void everyIntegrityCheckPassesOnTheBytesAsSent() throws Exception {
        StunMessage received = StunMessage.decode(signed().toBytes());
        assertThat(MessageIntegrity.verify(received, KEY)).isTrue();
        assertThat(MessageIntegritySha256.verify(received, IntegrityKeys.longTermSha256("alice", "example.org", "secret")))
                .isTrue();
        assertThat(Fingerprint.verify(received)).isTrue();
    }

    @Test
    void anyFlippedBitBeforeTheIntegrityFailsEveryCheck() throws Exception {
        byte[] bytes = signed().toBytes();
        for (int i : new int[] {0, 8, 19, 25, 33}) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            StunMessage received = StunMessage.decode(tampered);
            assertThat(MessageIntegrity.verify(received, KEY)).as("byte %d", i).isFalse();
            assertThat(Fingerprint.verify(received)).as("byte %d", i).isFalse();
        }
        assertThat(MessageIntegrity.verify(StunMessage.decode(bytes), IntegrityKeys.longTermMd5("alice", "example.org", "Secret")))
                .isFalse();
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnoredAndDoNotBreakIt() throws Exception {
        byte[] signed = StunMessage.builder(StunMethod.REFRESH.request()).add(new Lifetime(600)).messageIntegrity(KEY)
                .build().toBytes();
        byte[] extra = MalformedInputTest.attribute(AttributeType.LIFETIME, new byte[] {0, 0, 0, 0});
        byte[] appended = MalformedInputTest.concat(signed, extra);
        Bytes.putShort(appended, 2, appended.length - 20);

        StunMessage received = StunMessage.decode(appended);
        assertThat(received.attributes(Lifetime.class)).containsExactly(new Lifetime(600));
        assertThat(MessageIntegrity.verify(received, KEY)).isTrue();
    }

    @Test
    void attributesAfterFingerprintAreIgnored() throws Exception {
        byte[] fingerprinted = StunMessage.builder(MessageType.BINDING_REQUEST).fingerprint().build().toBytes();
        byte[] appended = MalformedInputTest.concat(fingerprinted,
                MalformedInputTest.attribute(AttributeType.USERNAME, "x".getBytes()));
        Bytes.putShort(appended, 2, appended.length - 20);

        StunMessage received = StunMessage.decode(appended);
        assertThat(received.attributes()).hasSize(1).first().isInstanceOf(Fingerprint.class);
        assertThat(Fingerprint.verify(received)).isTrue();
    }

    @Test
    void truncatedSha256IntegrityVerifies() throws Exception {
        byte[] key = IntegrityKeys.longTermSha256("alice", "example.org", "secret");
        byte[] prefix = StunMessage.builder(MessageType.BINDING_REQUEST).add(new Username("alice")).build().toBytes();
        // A sender truncating to 16 bytes: the length field counts the 20-byte attribute, the HMAC is cut to 16.
        Bytes.putShort(prefix, 2, prefix.length - 20 + 4 + 16);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        byte[] hmac = mac.doFinal(prefix);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        out.writeBytes(new byte[] {0x00, 0x1c, 0x00, 0x10});
        out.write(hmac, 0, 16);
        byte[] truncated = out.toByteArray();

        StunMessage received = StunMessage.decode(truncated);
        assertThat(received.attribute(MessageIntegritySha256.class).orElseThrow().length()).isEqualTo(16);
        assertThat(MessageIntegritySha256.verify(received, key)).isTrue();
        assertThat(MessageIntegritySha256.verify(received, KEY)).isFalse();
    }

    @Test
    void messagesWithoutIntegrityNeverVerify() throws Exception {
        StunMessage plain = StunMessage.decode(StunMessage.of(MessageType.BINDING_REQUEST, TransactionId.random(), List.of())
                .toBytes());
        assertThat(MessageIntegrity.verify(plain, KEY)).isFalse();
        assertThat(MessageIntegritySha256.verify(plain, KEY)).isFalse();
        assertThat(Fingerprint.verify(plain)).isFalse();
    }

    @Test
    void emptyKeyWorksLikeTheHmacOfAnEmptyKey() throws Exception {
        StunMessage message = StunMessage.builder(MessageType.BINDING_REQUEST).messageIntegrity(new byte[0]).build();
        assertThat(MessageIntegrity.verify(StunMessage.decode(message.toBytes()), new byte[0])).isTrue();
    }
}
