package io.switchboard.e2e.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import io.switchboard.e2e.SwitchboardProcess;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code kill -HUP}: the configuration file is read again and what can change while running does, dropping nothing. */
class ReloadTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void sighupAddsAUserWhoCanThenAllocateWhileAllocationsMadeBeforeGoOn() throws Exception {
        Path config = Files.createTempFile("switchboard", ".yaml");
        Files.writeString(config, "realm: example.org\nuser: [alice:alice-password]\n");
        try (SwitchboardProcess server = SwitchboardProcess.serve("--config", config.toString())) {
            InetSocketAddress turn = server.listener("turn-udp");
            try (TurnClient alice = TurnClient.connect(TurnClientConfig.udp(turn, "alice", "alice-password"));
                 TurnClient bob = TurnClient.connect(TurnClientConfig.udp(turn, "bob", "bob-password"))) {
                alice.allocate();
                assertThatThrownBy(bob::allocate).isInstanceOfSatisfying(TurnClientException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(401));

                Files.writeString(config, "realm: example.org\nuser: [alice:alice-password, bob:bob-password]\n");
                server.signal("HUP");
                server.awaitOutput("reload applied: --user: \\+bob", PATIENCE);

                try (TurnClient bobAgain = TurnClient.connect(TurnClientConfig.udp(turn, "bob", "bob-password"))) {
                    assertThat(bobAgain.allocate().relayedAddress().getPort()).isPositive();
                }
                assertThat(alice.refresh(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
                assertThat(server.isAlive()).isTrue();
                assertThat(server.output()).doesNotContain("bob-password").doesNotContain("alice-password");
            }
        }
    }

    @Test
    void aBrokenFileIsRefusedWithTheReasonAndTheOldConfigurationStays() throws Exception {
        Path config = Files.createTempFile("switchboard", ".yaml");
        Files.writeString(config, "user: [alice:alice-password]\n");
        try (SwitchboardProcess server = SwitchboardProcess.serve("--config", config.toString())) {
            Files.writeString(config, "user: [alice:alice-password, bob:bob-password]\nuser-quota: none\n");
            server.signal("HUP");

            String line = server.awaitOutput("reload refused", PATIENCE);
            assertThat(line).contains("--user-quota (key 'user-quota' in " + config + "): 'none' is not a whole number")
                    .contains("the running configuration stays in force");
            try (TurnClient bob = TurnClient.connect(TurnClientConfig.udp(server.listener("turn-udp"), "bob",
                    "bob-password"))) {
                assertThatThrownBy(bob::allocate).isInstanceOfSatisfying(TurnClientException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(401));
            }
            assertThat(Scrape.of(server.adminUrl()).value("switchboard_config_reloads_total", "outcome=\"refused\""))
                    .isEqualTo(1);
        }
    }

    @Test
    void sighupPicksUpCertificateFilesMovedToNewPaths() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-certs");
        X509Certificate first = CertificateFiles.write(CertificateFiles.issue(), dir.resolve("a.pem"), dir.resolve("a.key"));
        Path config = dir.resolve("switchboard.yaml");
        Files.writeString(config, "tls-cert: " + dir.resolve("a.pem") + "\ntls-key: " + dir.resolve("a.key") + "\n");
        try (SwitchboardProcess server = SwitchboardProcess.serve("--config", config.toString())) {
            assertThat(InsecureTls.certificateOf(server.listener("https"))).isEqualTo(first);

            X509Certificate second = CertificateFiles.write(CertificateFiles.issue(), dir.resolve("b.pem"),
                    dir.resolve("b.key"));
            Files.writeString(config, "tls-cert: " + dir.resolve("b.pem") + "\ntls-key: " + dir.resolve("b.key") + "\n");
            server.signal("HUP");
            server.awaitOutput("reload applied: --tls-cert", PATIENCE);

            await().atMost(PATIENCE).until(() -> InsecureTls.certificateOf(server.listener("https")).equals(second));
            assertThat(InsecureTls.certificateOf(server.listener("turns"))).isEqualTo(second);
        }
    }
}
