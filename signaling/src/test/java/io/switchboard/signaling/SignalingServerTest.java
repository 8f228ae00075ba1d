package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.switchboard.signaling.http.HttpRoutes;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** Lifecycle of the server: binding, shutdown, and the optional TLS listener. */
class SignalingServerTest {

    @Test
    void bindsAFreePortWhenAskedForZero() {
        try (TestServer server = TestServer.start()) {
            assertThat(server.address().getPort()).isPositive();
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(server.server.tlsAddress()).isEmpty();
        }
    }

    @Test
    void aTakenPortFailsWithAMessageNamingTheOption() {
        try (TestServer first = TestServer.start()) {
            int taken = first.address().getPort();
            assertThatThrownBy(() -> SignalingServer.start(TestServer.config().port(taken).build(),
                    IceServersProvider.none(), HttpRoutes.empty(), new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("--http-port: cannot listen on 127.0.0.1:" + taken);
        }
    }

    @Test
    void closingTellsConnectedClientsAndClosesWithGoingAway() {
        TestServer server = TestServer.start();
        TestServer.Member alice = server.join("shutdown", "Alice");
        server.close();
        JsonNode error = alice.socket().next("error");
        assertThat(error.path("code").asText()).isEqualTo("shutting-down");
        assertThat(alice.socket().awaitClose()).isEqualTo(1001);
    }

    @Test
    @SuppressWarnings("deprecation") // SelfSignedCertificate is fine for a test certificate
    void servesWebSocketOverTlsOnTheSecondListener() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("localhost");
        SslContext ssl = SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build();
        try (SignalingServer server = SignalingServer.builder(TestServer.config().build()).meterRegistry(new SimpleMeterRegistry())
                .tls(ssl, 0).start()) {
            InetSocketAddress secure = server.tlsAddress().orElseThrow();
            assertThat(secure.getPort()).isNotEqualTo(server.address().getPort());
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {new TrustAll()}, null);
            SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(secure.getAddress(), secure.getPort());
            socket.startHandshake();
            TestSocket wss = TestSocket.over(socket, secure, Map.of());
            wss.sendText("{\"type\":\"join\",\"room\":\"tls\"}");
            assertThat(wss.next("joined").path("room").asText()).isEqualTo("tls");
            wss.close();
        } finally {
            certificate.delete();
        }
    }

    /** Trusts the test's self-signed certificate. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
