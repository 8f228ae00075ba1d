package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalingConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        SignalingConfig config = SignalingConfig.defaults();
        assertThat(config.bindAddress().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.roomCapacity()).isEqualTo(8);
        assertThat(config.resumeGrace()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.maxMessageBytes()).isEqualTo(65536);
        assertThat(config.idleTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(45));
        assertThat(config.allowedOrigins()).isEmpty();
        assertThat(config.signalingSecret()).isEmpty();
        assertThat(config.originAllowed("https://anything.example")).isTrue();
    }

    @Test
    void invalidValuesNameTheCommandLineOption() {
        assertThatThrownBy(() -> SignalingConfig.builder().roomCapacity(0).build())
                .hasMessage("--room-capacity: must be between 1 and 256, got 0");
        assertThatThrownBy(() -> SignalingConfig.builder().port(70000).build())
                .hasMessage("--http-port: must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> SignalingConfig.builder().resumeGrace(Duration.ofSeconds(-1)).build())
                .hasMessageStartingWith("--resume-grace: must be between 0s and 3600s, got -1s");
        assertThatThrownBy(() -> SignalingConfig.builder().maxMessageBytes(10).build())
                .hasMessageStartingWith("--max-message-size:");
        assertThatThrownBy(() -> SignalingConfig.builder().messageRate(0).build())
                .hasMessageStartingWith("--message-rate:");
        assertThatThrownBy(() -> SignalingConfig.builder().pingInterval(Duration.ofSeconds(30)).idleTimeout(Duration.ofSeconds(10)).build())
                .hasMessage("--idle-timeout: must be longer than --ping-interval (30s), got 10s");
        assertThatThrownBy(() -> SignalingConfig.builder().signalingSecret("short").build())
                .hasMessage("--signaling-secret: must be at least 16 characters, got 5");
        assertThatThrownBy(() -> SignalingConfig.builder().allowedOrigins(List.of("https://ok.example/path")).build())
                .hasMessageStartingWith("--allowed-origin:");
        assertThatThrownBy(() -> SignalingConfig.builder().allowedOrigins(List.of("ftp://x")).build())
                .hasMessageStartingWith("--allowed-origin:");
    }

    @Test
    void originsCompareWithoutCase() {
        SignalingConfig config = SignalingConfig.builder().allowedOrigins(List.of("https://App.Example:8443")).build();
        assertThat(config.originAllowed("https://app.example:8443")).isTrue();
        assertThat(config.originAllowed("https://app.example")).isFalse();
        assertThat(config.originAllowed("null")).isFalse();
    }

    @Test
    void toStringNeverShowsTheSecret() {
        SignalingConfig config = SignalingConfig.builder().signalingSecret("0123456789abcdefSECRET").build();
        assertThat(config.toString()).doesNotContain("SECRET").contains("signalingSecret=(set)");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        SignalingConfig config = SignalingConfig.builder().port(1234).roomCapacity(3).resumeGrace(Duration.ofSeconds(5))
                .allowedOrigins(List.of("http://a.example")).signalingSecret("0123456789abcdef").build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void withoutRedisANodeIsStandaloneWithARandomNodeId() {
        SignalingConfig one = SignalingConfig.defaults();
        SignalingConfig two = SignalingConfig.defaults();
        assertThat(one.clustered()).isFalse();
        assertThat(one.redis()).isEmpty();
        assertThat(one.nodeId()).matches("node-[0-9a-f]{12}").isNotEqualTo(two.nodeId());
        assertThat(one.clusterLease()).isEqualTo(Duration.ofSeconds(5));
        assertThat(one.clusterHeartbeat()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void clusterSettingsAreCheckedAndNameTheirOption() {
        SignalingConfig config = SignalingConfig.builder().redis(URI.create("redis://10.0.0.5:6379/2")).nodeId("sig-1").build();
        assertThat(config.clustered()).isTrue();
        assertThat(config.nodeId()).isEqualTo("sig-1");
        assertThatThrownBy(() -> SignalingConfig.builder().redis(URI.create("http://10.0.0.5:6379")).build())
                .hasMessageStartingWith("--redis: must be a redis://");
        assertThatThrownBy(() -> SignalingConfig.builder().redis(URI.create("redis:///0")).build())
                .hasMessageStartingWith("--redis: the URL names no host");
        assertThatThrownBy(() -> SignalingConfig.builder().nodeId("a b").build())
                .hasMessageStartingWith("--node-id: must be 1-64 characters");
        assertThatThrownBy(() -> SignalingConfig.builder().clusterLease(Duration.ofMillis(10)).build())
                .hasMessageStartingWith("--cluster-lease: must be between 100ms and 60s");
        assertThat(SignalingConfig.builder().redis(URI.create("rediss://h.example:6380")).build().toBuilder().build().redis())
                .contains(URI.create("rediss://h.example:6380"));
    }

    @Test
    void toStringNeverShowsTheRedisPassword() {
        SignalingConfig config = SignalingConfig.builder().redis(URI.create("redis://default:hunter2@10.0.0.5:6379")).build();
        assertThat(config.toString()).doesNotContain("hunter2").contains("redis=redis://***@10.0.0.5:6379");
    }

    @Test
    void aClusteredNodeThatCannotReachRedisFailsToStartNamingTheOption() {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> TestServer.start(TestServer.clusterConfig(URI.create("redis://127.0.0.1:" + closedPort), "x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("--redis: cannot use Redis at redis://127.0.0.1:" + closedPort);
    }
}
