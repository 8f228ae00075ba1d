package io.switchboard.client.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retransmission schedule of RFC 8489 §6.2.1 and the validation of the options. */
class StunClientOptionsTest {
    @Test
    void defaultScheduleIsTheRfc8489Example() {
        StunClientOptions defaults = StunClientOptions.defaults();
        assertThat(defaults.sendTimes()).extracting(Duration::toMillis)
                .containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L);
        assertThat(defaults.giveUpAfter()).isEqualTo(Duration.ofMillis(39_500));
        assertThat(defaults.tcpTimeout()).isEqualTo(Duration.ofMillis(39_500));
    }

    @Test
    void scheduleFollowsAConfiguredRto() {
        StunClientOptions fast = StunClientOptions.defaults().withInitialRto(Duration.ofMillis(20)).withMaxRequests(3)
                .withLastWaitMultiplier(4);
        assertThat(fast.sendTimes()).extracting(Duration::toMillis).containsExactly(0L, 20L, 60L);
        assertThat(fast.giveUpAfter()).isEqualTo(Duration.ofMillis(140));
    }

    @Test
    void invalidOptionsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> StunClientOptions.defaults().withMaxRequests(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRequests");
        assertThatThrownBy(() -> StunClientOptions.defaults().withInitialRto(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialRto");
        assertThatThrownBy(() -> StunClientOptions.defaults().withLastWaitMultiplier(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lastWaitMultiplier");
    }

    @Test
    void serverAddressesParseWithTheDefaultStunPort() throws Exception {
        assertThat(StunServerAddress.parse("127.0.0.1").getPort()).isEqualTo(3478);
        assertThat(StunServerAddress.parse("127.0.0.1:40000").getPort()).isEqualTo(40000);
        assertThat(StunServerAddress.format(StunServerAddress.parse("[::1]:5000"))).isEqualTo("[0:0:0:0:0:0:0:1]:5000");
        assertThat(StunServerAddress.parse("::1").getPort()).isEqualTo(3478);
        assertThat(StunServerAddress.parse("stun:localhost:1234").getPort()).isEqualTo(1234);
        assertThatThrownBy(() -> StunServerAddress.parse("127.0.0.1:99999"))
                .isInstanceOf(StunClientException.class).hasMessageContaining("port must be 1-65535");
        assertThatThrownBy(() -> StunServerAddress.parse(""))
                .isInstanceOf(StunClientException.class).hasMessageContaining("missing host");
    }
}
