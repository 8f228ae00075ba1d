package io.switchboard.bench.signaling;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WsClientTest {
    @Test
    void readsTheSendTimeOfAProbeAsSwitchboardRelaysIt() {
        assertThat(WsClient.probeTime(text(
                "{\"type\":\"signal\",\"from\":\"a1\",\"data\":{\"sdp\":\"xx\",\"t\":123456789}}")))
                .isEqualTo(123456789L);
    }

    @Test
    void readsTheSendTimeOfAProbeAsPeerJsRelaysIt() {
        assertThat(WsClient.probeTime(text(
                "{\"type\":\"OFFER\",\"src\":\"a\",\"dst\":\"b\",\"payload\":{\"sdp\":\"xx\",\"t\": 42}}")))
                .isEqualTo(42L);
    }

    @Test
    void controlMessagesAreNotProbes() {
        assertThat(WsClient.probeTime(text("{\"type\":\"joined\",\"room\":\"r\",\"id\":\"x\",\"peers\":[]}")))
                .isEqualTo(-1);
        assertThat(WsClient.probeTime(text("{\"type\":\"OPEN\"}"))).isEqualTo(-1);
    }

    @Test
    void probesAreWrittenInEachServersProtocol() {
        assertThat(new SignalingProtocol.Switchboard().message("p1", "{\"t\":1}"))
                .isEqualTo("{\"type\":\"signal\",\"to\":\"p1\",\"data\":{\"t\":1}}");
        assertThat(new SignalingProtocol.PeerJs().message("p1", "{\"t\":1}"))
                .isEqualTo("{\"type\":\"OFFER\",\"dst\":\"p1\",\"payload\":{\"t\":1}}");
        assertThat(new SignalingProtocol.PeerJs().path("abc")).isEqualTo("/peerjs?id=abc&token=tabc&key=peerjs");
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
