package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP reloads, driven in-process: what changes, what is refused, and that nothing running is dropped. */
class SwitchboardReloadTest {
    @TempDir
    Path dir;

    private Path config(String yaml) throws IOException {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aReloadAddsAUserWhoCanThenAllocateWhileExistingAllocationsGoOn() throws Exception {
        Path file = config("realm: example.org\nuser: [alice:alice-password]\n");
        try (RunningSwitchboard server = RunningSwitchboard.start(file)) {
            InetSocketAddress turn = server.listener("turn-udp");
            try (TurnClient alice = TurnClient.connect(TurnClientConfig.udp(turn, "alice", "alice-password"));
                 TurnClient bob = TurnClient.connect(TurnClientConfig.udp(turn, "bob", "bob-password"))) {
                alice.allocate();
                assertThatThrownBy(bob::allocate).isInstanceOfSatisfying(TurnClientException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(401));

                config("realm: example.org\nuser: [alice:alice-password, bob:bob-password]\n");
                Switchboard.ReloadReport report = server.reload();

                assertThat(report.applied()).isTrue();
                assertThat(report.changes()).containsExactly("--user: +bob");
                try (TurnClient bobAgain = TurnClient.connect(TurnClientConfig.udp(turn, "bob", "bob-password"))) {
                    assertThat(bobAgain.allocate().relayedAddress().getPort()).isPositive();
                }
                assertThat(alice.refresh(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
            }
        }
    }

    @Test
    void aBrokenFileIsRefusedAndTheRunningConfigurationStaysInForce() throws Exception {
        Path file = config("user: [alice:alice-password]\n");
        try (RunningSwitchboard server = RunningSwitchboard.start(file)) {
            config("user: [alice:alice-password, bob:bob-password]\nroom-capacity: lots\n");
            Switchboard.ReloadReport badValue = server.reload();
            config("user: [alice:alice-password\n");
            Switchboard.ReloadReport badYaml = server.reload();

            assertThat(badValue.applied()).isFalse();
            assertThat(badValue.problem()).hasValue("--room-capacity (key 'room-capacity' in " + file
                    + "): 'lots' is not a whole number");
            assertThat(badYaml.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("--config: " + file
                    + " is not valid YAML"));
            InetSocketAddress turn = server.listener("turn-udp");
            try (TurnClient bob = TurnClient.connect(TurnClientConfig.udp(turn, "bob", "bob-password"));
                 TurnClient alice = TurnClient.connect(TurnClientConfig.udp(turn, "alice", "alice-password"))) {
                assertThatThrownBy(bob::allocate).isInstanceOfSatisfying(TurnClientException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(401));
                assertThat(alice.allocate().relayedAddress().getPort()).isPositive();
            }
            assertThat(server.switchboard.registry().get("switchboard.config.reloads").tag("outcome", "refused")
                    .counter().count()).isEqualTo(2);
        }
    }

    @Test
    void aReloadSaysWhichChangedOptionsNeedARestart() throws Exception {
        Path file = config("room-capacity: 4\nuser-quota: 10\n");
        try (RunningSwitchboard server = RunningSwitchboard.start(file)) {
            config("room-capacity: 6\nuser-quota: 1\n");
            Switchboard.ReloadReport report = server.reload();

            assertThat(report.changes()).containsExactly("--user-quota: 10 -> 1");
            assertThat(report.needRestart()).containsExactly("--room-capacity");
        }
    }

    @Test
    void aReloadedQuotaAppliesToTheNextAllocation() throws Exception {
        Path file = config("user: [alice:alice-password]\n");
        try (RunningSwitchboard server = RunningSwitchboard.start(file)) {
            InetSocketAddress turn = server.listener("turn-udp");
            try (TurnClient first = TurnClient.connect(TurnClientConfig.udp(turn, "alice", "alice-password"));
                 TurnClient second = TurnClient.connect(TurnClientConfig.udp(turn, "alice", "alice-password"))) {
                first.allocate();
                config("user: [alice:alice-password]\nuser-quota: 1\n");
                server.reload();

                assertThatThrownBy(second::allocate).isInstanceOfSatisfying(TurnClientException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(486));
            }
        }
    }

    @Test
    void aReloadMovesFromTheGeneratedCertificateToFilesButNotBack() throws Exception {
        io.switchboard.app.tls.TestCertificates.Issued issued = io.switchboard.app.tls.TestCertificates.issue("EC", "files");
        Path cert = issued.writeChain(dir.resolve("cert.pem"));
        Path key = issued.writePkcs8Key(dir.resolve("key.pem"));
        Path file = config("realm: one\n");
        try (RunningSwitchboard server = RunningSwitchboard.start(file)) {
            config("tls-cert: " + cert + "\ntls-key: " + key + "\n");
            Switchboard.ReloadReport toFiles = server.reload();
            config("realm: one\n");
            Switchboard.ReloadReport back = server.reload();

            assertThat(toFiles.changes()).hasSize(3).anySatisfy(c -> assertThat(c).startsWith("--tls-cert: (none) -> "));
            assertThat(server.switchboard.registry().get("switchboard.tls.certificate.not.after").gauge().value())
                    .isEqualTo(issued.certificate().getNotAfter().toInstant().getEpochSecond());
            assertThat(back.problem()).hasValue("--tls-cert: going back to a generated certificate needs a restart");
        }
    }

    @Test
    void turningTlsOffByReloadIsRefusedAsNeedingARestart() throws Exception {
        Path file = config("realm: one\n");
        try (RunningSwitchboard server = RunningSwitchboard.start(file)) {
            config("realm: two\ntls: false\n");
            assertThat(server.reload().problem()).hasValue("--tls: turning TLS off needs a restart");
        }
    }
}
