package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** RFC 3489 messages (no magic cookie, 128-bit id) decode, and a server can answer them with MAPPED-ADDRESS. */
class ClassicStunTest {
    private static final String CLASSIC_ID = "a1 b2 c3 d4 01 02 03 04 05 06 07 08 09 0a 0b 0c";

    @Test
    void classicBindingRequestDecodesWithA128BitId() throws Exception {
        StunMessage request = StunMessage.decode(Hex.parse("00 01 00 00 " + CLASSIC_ID));
        assertThat(request.isClassic()).isTrue();
        assertThat(request.type()).isEqualTo(MessageType.BINDING_REQUEST);
        assertThat(request.transactionId().toBytes()).isEqualTo(Hex.parse(CLASSIC_ID));
    }

    @Test
    void classicRequestWithChangeRequestKeepsIt() throws Exception {
        StunMessage request = StunMessage.decode(Hex.parse("00 01 00 08 " + CLASSIC_ID + " 00 03 00 04 00 00 00 06"));
        assertThat(request.attribute(ChangeRequest.class)).contains(new ChangeRequest(true, true));
    }

    @Test
    void answerToAClassicRequestIsClassicWithMappedAddress() throws Exception {
        StunMessage request = StunMessage.decode(Hex.parse("00 01 00 00 " + CLASSIC_ID));
        InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        byte[] response = StunMessage.successResponseTo(request).add(new MappedAddress(client)).build().toBytes();

        assertThat(Hex.format(response)).isEqualTo(Hex.format(Hex.parse(
                "01 01 00 0c " + CLASSIC_ID + " 00 01 00 08 00 01 80 55 c0 00 02 01")));
        StunMessage decoded = StunMessage.decode(response);
        assertThat(decoded.isClassic()).isTrue();
        assertThat(decoded.attribute(MappedAddress.class).orElseThrow().address()).isEqualTo(client);
    }
}
