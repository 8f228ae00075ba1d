package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reusable writer encodes into caller buffers exactly as the builder does. */
class StunMessageWriterTest {
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    @Test
    void writerIntoAnOffsetDirectLittleEndianBufferMatchesTheBuilder() throws Exception {
        TransactionId id = TransactionId.random();
        byte[] key = IntegrityKeys.longTermMd5("alice", "example.org", "secret");
        StunMessage built = StunMessage.builder(StunMethod.DATA.indication(), id)
                .add(new XorPeerAddress(PEER))
                .add(new Data(new byte[] {1, 2, 3, 4, 5, 6, 7}))
                .messageIntegrity(key)
                .fingerprint()
                .build();

        StunMessageWriter writer = new StunMessageWriter();
        ByteBuffer direct = ByteBuffer.allocateDirect(200).order(ByteOrder.LITTLE_ENDIAN);
        direct.position(13);
        byte[] payload = {9, 9, 1, 2, 3, 4, 5, 6, 7, 9};
        int length = writer.begin(direct, StunMethod.DATA.indication(), id)
                .add(new XorPeerAddress(PEER))
                .addData(payload, 2, 7)
                .addMessageIntegrity(key)
                .addFingerprint()
                .finish();

        assertThat(length).isEqualTo(built.encodedLength());
        assertThat(direct.position()).isEqualTo(13 + length);
        assertThat(direct.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        byte[] written = new byte[length];
        direct.position(13);
        direct.get(written);
        assertThat(written).isEqualTo(built.toBytes());

        // The same writer is reusable for the next message.
        ByteBuffer heap = ByteBuffer.allocate(100);
        int second = writer.begin(heap, MessageType.BINDING_SUCCESS, id).add(new XorMappedAddress(PEER)).finish();
        assertThat(StunMessage.decode(heap.array(), 0, second).attribute(XorMappedAddress.class).orElseThrow().address())
                .isEqualTo(PEER);
    }

    @Test
    void nothingMayFollowFingerprint() {
        StunMessage.Builder builder = StunMessage.builder(MessageType.BINDING_REQUEST).fingerprint();
        assertThatThrownBy(() -> builder.add(new Software("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void messagesOverTheStunMaximumAreRefused() {
        StunMessage.Builder builder = StunMessage.builder(MessageType.BINDING_REQUEST)
                .add(new Data(new byte[40000])).add(new Data(new byte[30000]));
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds the STUN maximum");
    }

    @Test
    void responseBuildersReuseTheRequestIdAndMethod() throws Exception {
        StunMessage request = StunMessage.builder(StunMethod.ALLOCATE.request()).add(new RequestedTransport(17)).build();
        StunMessage error = StunMessage.errorResponseTo(request, ErrorCode.of(ErrorCode.UNAUTHENTICATED))
                .add(new Realm("example.org")).add(new Nonce("n")).build();
        StunMessage decoded = StunMessage.decode(error.toBytes());
        assertThat(decoded.type()).isEqualTo(StunMethod.ALLOCATE.errorResponse());
        assertThat(decoded.transactionId()).isEqualTo(request.transactionId());
        assertThat(decoded.attribute(ErrorCode.class).orElseThrow()).isEqualTo(new ErrorCode(401, "Unauthenticated"));
        assertThat(StunMessage.successResponseTo(request).build().type()).isEqualTo(StunMethod.ALLOCATE.successResponse());
        assertThat(decoded.attributes(Realm.class)).containsExactly(new Realm("example.org"));
        assertThat(decoded.attributes()).hasSize(3);
        assertThat(List.copyOf(decoded.attributes())).isEqualTo(error.attributes());
    }
}
