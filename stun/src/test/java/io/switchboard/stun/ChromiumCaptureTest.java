package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * STUN packets captured from headless Chromium gathering candidates against a capture server on 127.0.0.1
 * ({@code src/test/capture/capture_chromium.py}): they decode, verify, and re-encode byte for byte.
 */
class ChromiumCaptureTest {
    private static final byte[] TURN_KEY = IntegrityKeys.longTermMd5("capture", "switchboard.test", "capture-password");

    static StunMessage captured(String name) throws StunDecodeException {
        byte[] bytes = Hex.resource("chromium/" + name + ".hex");
        StunMessage message = StunMessage.decode(bytes);
        assertThat(StunMessage.of(message.type(), message.transactionId(), message.attributes()).toBytes())
                .as("re-encoded %s", name).isEqualTo(bytes);
        return message;
    }

    @Test
    void decodesBindingRequestCapturedFromChromium() throws Exception {
        StunMessage request = captured("binding-request");
        assertThat(request.type()).isEqualTo(MessageType.BINDING_REQUEST);
        assertThat(request.isClassic()).isFalse();
        assertThat(request.attributes()).isEmpty();
    }

    @Test
    void decodesIceConnectivityCheckCapturedFromChromium() throws Exception {
        StunMessage check = captured("binding-request-with-integrity");
        assertThat(check.type()).isEqualTo(MessageType.BINDING_REQUEST);
        assertThat(check.attribute(Username.class).orElseThrow().name()).contains(":");
        assertThat(check.attribute(IceControlling.class)).isPresent();
        assertThat(check.attribute(UseCandidate.class)).isPresent();
        assertThat(check.attribute(Priority.class).orElseThrow().priority()).isPositive();
        // Chromium's GOOG-NETWORK-INFO (0xC057) is not in the registry: kept intact, and optional to understand.
        assertThat(check.attributes(UnknownAttribute.class)).extracting(UnknownAttribute::type).containsExactly(0xC057);
        assertThat(check.unknownComprehensionRequired()).isEmpty();
        assertThat(check.attribute(MessageIntegrity.class)).isPresent();
        assertThat(Fingerprint.verify(check)).isTrue();
    }

    @Test
    void decodesAllocateRequestsCapturedFromChromium() throws Exception {
        StunMessage first = captured("allocate-request");
        assertThat(first.type()).isEqualTo(StunMethod.ALLOCATE.request());
        assertThat(first.attributes()).containsExactly(new RequestedTransport(RequestedTransport.UDP));

        StunMessage authenticated = captured("allocate-request-with-integrity");
        assertThat(authenticated.attribute(Username.class)).contains(new Username("capture"));
        assertThat(authenticated.attribute(Realm.class)).contains(new Realm("switchboard.test"));
        assertThat(authenticated.attribute(Nonce.class)).contains(new Nonce("0123456789abcdef"));
        assertThat(MessageIntegrity.verify(authenticated, TURN_KEY)).isTrue();
        assertThat(MessageIntegrity.verify(authenticated,
                IntegrityKeys.longTermMd5("capture", "switchboard.test", "wrong"))).isFalse();
    }

    @Test
    void decodesRefreshAndCreatePermissionCapturedFromChromium() throws Exception {
        StunMessage refresh = captured("refresh-request-with-integrity");
        assertThat(refresh.type()).isEqualTo(StunMethod.REFRESH.request());
        assertThat(refresh.attribute(Lifetime.class)).contains(new Lifetime(0));
        assertThat(MessageIntegrity.verify(refresh, TURN_KEY)).isTrue();

        StunMessage permission = captured("create-permission-request-with-integrity");
        assertThat(permission.type()).isEqualTo(StunMethod.CREATE_PERMISSION.request());
        assertThat(permission.attribute(XorPeerAddress.class).orElseThrow().address().getAddress())
                .isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(MessageIntegrity.verify(permission, TURN_KEY)).isTrue();
    }

    @Test
    void decodesSendIndicationCarryingAnIceCheckCapturedFromChromium() throws Exception {
        StunMessage send = captured("send-indication");
        assertThat(send.type()).isEqualTo(StunMethod.SEND.indication());
        assertThat(send.attribute(XorPeerAddress.class)).isPresent();
        byte[] data = send.attribute(Data.class).orElseThrow().data();
        assertThat(PacketDemultiplexer.classify(data, 0, data.length)).isEqualTo(PacketKind.STUN);
        assertThat(StunMessage.decode(data).attribute(IceControlling.class)).isPresent();
    }
}
