package io.switchboard.e2e.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.e2e.SwitchboardProcess;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Certificates renewed on disk while the server runs: new TLS connections get the new certificate, connections and
 * allocations made before go on.
 */
class CertificateReloadTest {

    @Test
    void aRenewedCertificateServesNewConnectionsWhileOldOnesGoOn() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-certs");
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        X509Certificate first = CertificateFiles.write(CertificateFiles.issue(), cert, key);
        try (SwitchboardProcess server = SwitchboardProcess.serve("--tls-cert", cert.toString(), "--tls-key",
                key.toString(), "--user", "alice:cert-password");
             SSLSocket before = InsecureTls.connect(server.listener("turns"));
             TurnClient allocated = TurnClient.connect(TurnClientConfig.tls(server.listener("turns"), "alice",
                     "cert-password", InsecureTls.nettyClient()))) {
            assertThat(InsecureTls.leaf(before)).isEqualTo(first);
            assertThat(InsecureTls.certificateOf(server.listener("https"))).isEqualTo(first);
            allocated.allocate();

            X509Certificate second = CertificateFiles.write(CertificateFiles.issue(), cert, key);

            await("new TURNS connections get the renewed certificate").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> InsecureTls.certificateOf(server.listener("turns")).equals(second));
            assertThat(InsecureTls.certificateOf(server.listener("https"))).isEqualTo(second);
            assertThat(server.output()).contains("tls certificate reloaded from " + cert);

            assertThat(bindingOver(before)).as("a STUN Binding over the connection made before the renewal").isTrue();
            assertThat(InsecureTls.leaf(before)).isEqualTo(first);
            assertThat(allocated.refresh(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Test
    void aBrokenRenewalIsRefusedAndTheCertificateInForceStays() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-certs");
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        X509Certificate first = CertificateFiles.write(CertificateFiles.issue(), cert, key);
        try (SwitchboardProcess server = SwitchboardProcess.serve("--tls-cert", cert.toString(), "--tls-key",
                key.toString())) {
            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

            server.awaitOutput("tls certificate change refused \\(file change\\)", Duration.ofSeconds(20));
            assertThat(InsecureTls.certificateOf(server.listener("turns"))).isEqualTo(first);
            assertThat(InsecureTls.certificateOf(server.listener("https"))).isEqualTo(first);
        }
    }

    /** Sends a STUN Binding request over {@code socket} and says whether a success response came back. */
    private static boolean bindingOver(SSLSocket socket) throws Exception {
        byte[] request = new byte[20];
        java.nio.ByteBuffer.wrap(request).putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442);
        for (int i = 8; i < 20; i++) {
            request[i] = (byte) (i * 7);
        }
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[20];
        in.readFully(header);
        int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        in.skipNBytes(length);
        return header[0] == 0x01 && header[1] == 0x01;
    }
}
