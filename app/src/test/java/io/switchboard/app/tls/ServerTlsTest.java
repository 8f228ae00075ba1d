package io.switchboard.app.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.app.config.TlsSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
    @TempDir
    Path dir;

    private TlsSettings files(Path certificate, Path key) {
        return new TlsSettings(true, 0, 0, Optional.of(certificate), Optional.of(key));
    }

    @Test
    void selfSignedCertificateNamesLocalhostTheLoopbackAddressesAndTheAdvertisedOnes() throws Exception {
        ServerTls tls = ServerTls.start(new TlsSettings(true, 0, 0, Optional.empty(), Optional.empty()),
                List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"),
                        InetAddress.getByName("192.0.2.7"), InetAddress.getByName("0.0.0.0")), Clock.systemUTC());

        assertThat(tls.certificate().subjectAlternativeNames())
                .containsExactly("DNS:localhost", "IP:127.0.0.1", "IP:0:0:0:0:0:0:0:1", "IP:192.0.2.7");
        assertThat(tls.certificate().selfSigned()).isTrue();
        assertThat(Duration.between(tls.certificate().leaf().getNotBefore().toInstant(), tls.certificate().notAfter()))
                .isLessThanOrEqualTo(Duration.ofDays(398));
        try (TlsEchoServer server = new TlsEchoServer(tls.sslContext()); SSLSocket socket = server.connect()) {
            assertThat(TlsEchoServer.peerCertificate(socket)).isEqualTo(tls.certificate().leaf());
            assertThat(TlsEchoServer.echo(socket, "hello")).isEqualTo("hello");
        }
    }

    @Test
    void offersTls12And13Only() throws Exception {
        ServerTls tls = ServerTls.start(new TlsSettings(true, 0, 0, Optional.empty(), Optional.empty()),
                List.of("localhost"), List.of(), Clock.systemUTC());

        assertThat(tls.sslContext().newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols())
                .containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        try (TlsEchoServer server = new TlsEchoServer(tls.sslContext());
             SSLSocket tls12 = server.connect("TLSv1.2")) {
            assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void aChangedCertificateServesNewHandshakesWhileOpenConnectionsGoOn() throws Exception {
        TestCertificates.Issued first = TestCertificates.issue("EC", "first.example");
        TestCertificates.Issued second = TestCertificates.issue("RSA", "second.example");
        Path certificate = first.writeChain(dir.resolve("cert.pem"));
        Path key = first.writePkcs8Key(dir.resolve("key.pem"));
        ServerTls tls = ServerTls.start(files(certificate, key), List.of(), List.of(), Clock.systemUTC());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        tls.bindTo(registry);

        try (TlsEchoServer server = new TlsEchoServer(tls.sslContext()); SSLSocket before = server.connect()) {
            assertThat(TlsEchoServer.peerCertificate(before)).isEqualTo(first.certificate());
            assertThat(tls.checkFiles()).isEqualTo(ServerTls.Outcome.UNCHANGED);

            second.writeChain(certificate);
            second.writeTraditionalKey(key);
            assertThat(tls.checkFiles()).isEqualTo(ServerTls.Outcome.APPLIED);

            try (SSLSocket after = server.connect()) {
                assertThat(TlsEchoServer.peerCertificate(after)).isEqualTo(second.certificate());
                assertThat(TlsEchoServer.echo(after, "new")).isEqualTo("new");
            }
            assertThat(TlsEchoServer.echo(before, "still here")).isEqualTo("still here");
            assertThat(TlsEchoServer.peerCertificate(before)).isEqualTo(first.certificate());
        }
        assertThat(registry.get("switchboard.tls.reloads").tag("outcome", "applied").counter().count()).isEqualTo(1);
        assertThat(registry.get("switchboard.tls.certificate.not.after").gauge().value())
                .isEqualTo(second.certificate().getNotAfter().toInstant().getEpochSecond());
    }

    @Test
    void anUnusableFileLeavesTheCertificateInForceUntilItIsFixed() throws Exception {
        TestCertificates.Issued first = TestCertificates.issue("EC", "first.example");
        TestCertificates.Issued second = TestCertificates.issue("EC", "second.example");
        Path certificate = first.writeChain(dir.resolve("cert.pem"));
        Path key = first.writePkcs8Key(dir.resolve("key.pem"));
        ServerTls tls = ServerTls.start(files(certificate, key), List.of(), List.of(), Clock.systemUTC());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        tls.bindTo(registry);

        second.writeChain(certificate);
        assertThat(tls.checkFiles()).as("new certificate, old key").isEqualTo(ServerTls.Outcome.REFUSED);
        assertThat(tls.checkFiles()).as("nothing new since").isEqualTo(ServerTls.Outcome.UNCHANGED);
        assertThat(tls.certificate().leaf()).isEqualTo(first.certificate());
        try (TlsEchoServer server = new TlsEchoServer(tls.sslContext()); SSLSocket socket = server.connect()) {
            assertThat(TlsEchoServer.peerCertificate(socket)).isEqualTo(first.certificate());
        }

        second.writePkcs8Key(key);
        assertThat(tls.checkFiles()).isEqualTo(ServerTls.Outcome.APPLIED);
        assertThat(tls.certificate().leaf()).isEqualTo(second.certificate());
        assertThat(registry.get("switchboard.tls.reloads").tag("outcome", "refused").counter().count()).isEqualTo(1);
    }

    @Test
    void aReloadMayNameOtherFiles() throws Exception {
        TestCertificates.Issued first = TestCertificates.issue("EC", "first.example");
        TestCertificates.Issued second = TestCertificates.issue("EC", "second.example");
        ServerTls tls = ServerTls.start(files(first.writeChain(dir.resolve("a.pem")), first.writePkcs8Key(dir.resolve("a.key"))),
                List.of(), List.of(), Clock.systemUTC());

        TlsSettings moved = files(second.writeChain(dir.resolve("b.pem")), second.writePkcs8Key(dir.resolve("b.key")));
        assertThat(tls.reload(moved)).isEqualTo(ServerTls.Outcome.APPLIED);
        assertThat(tls.certificate().leaf()).isEqualTo(second.certificate());
        assertThat(tls.reload(moved)).isEqualTo(ServerTls.Outcome.UNCHANGED);
    }
}
