package io.switchboard.turn.attack;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.stun.StunMethod;
import io.switchboard.turn.SelfSignedTls;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnServer;
import io.switchboard.turn.fuzz.RawStun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCP and TLS connections that never get an allocation cannot pile up: a connection that sends nothing, one that
 * only asks Binding, a TLS connection that never starts or never finishes its handshake, and one that finishes it but
 * never allocates are all closed by the server after {@code connectionTimeout} (1 s here, 30 s by default). A
 * connection that allocated stays open past it.
 */
class HalfOpenConnectionAttackTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** How long a test waits for the close: less than the 10 s TLS handshake timeout of Netty, which must not be what closes it. */
    private static final int PATIENCE_MILLIS = 6_000;
    private static TurnServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(b -> {
            try {
                return b.connectionTimeout(TIMEOUT).sslContext(SelfSignedTls.serverContext("localhost")).tlsPort(0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTcpConnectionThatNeverSendsAnythingIsClosed() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(server.tcpAddress());
            assertClosedByServer(socket.getInputStream(), socket);
        }
    }

    @Test
    void aTcpConnectionThatOnlyAsksBindingAndNeverAllocatesIsClosed() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(server.tcpAddress());
            socket.getOutputStream().write(new RawStun(StunMethod.BINDING.request().code(), id()).bytes());
            socket.setSoTimeout(5000);
            byte[] header = socket.getInputStream().readNBytes(20);
            assertThat(header).as("the Binding answer").hasSize(20);
            socket.getInputStream().readNBytes(((header[2] & 0xFF) << 8) | (header[3] & 0xFF));
            assertClosedByServer(socket.getInputStream(), socket);
        }
    }

    @Test
    void aTlsConnectionThatNeverStartsItsHandshakeIsClosed() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(server.tlsAddress().orElseThrow());
            assertClosedByServer(socket.getInputStream(), socket);
        }
    }

    @Test
    void aTlsConnectionThatSendsHalfAClientHelloIsClosed() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(server.tlsAddress().orElseThrow());
            // A handshake record header announcing 512 bytes, then only a few of them.
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC, 0x03});
            assertClosedByServer(socket.getInputStream(), socket);
        }
    }

    @Test
    void aTlsConnectionThatFinishesItsHandshakeButNeverAllocatesIsClosed() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trustAll()}, new SecureRandom());
        InetSocketAddress address = server.tlsAddress().orElseThrow();
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
            socket.startHandshake();
            assertClosedByServer(socket.getInputStream(), socket);
        }
    }

    @Test
    void aConnectionWithAnAllocationStaysOpenPastTheTimeout() throws Exception {
        try (TurnClient client = TurnClient.connect(TurnClientConfig.tcp(server.tcpAddress(), TestServers.USER,
                TestServers.PASSWORD))) {
            client.allocate();
            Thread.sleep(3 * TIMEOUT.toMillis());
            assertThat(client.refresh(Duration.ofMinutes(10))).as("refreshed over the same connection")
                    .isEqualTo(Duration.ofMinutes(10));
        }
        try (TurnClient tls = TurnClient.connect(TurnClientConfig.tls(server.tlsAddress().orElseThrow(), TestServers.USER,
                TestServers.PASSWORD, SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build()))) {
            tls.allocate();
            Thread.sleep(3 * TIMEOUT.toMillis());
            assertThat(tls.refresh(Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(10));
        }
    }

    /** The server closes the connection: reading ends (EOF or reset) before the test's patience runs out. */
    private static void assertClosedByServer(InputStream in, Socket socket) throws IOException {
        socket.setSoTimeout(PATIENCE_MILLIS);
        try {
            while (in.read() >= 0) {
                // whatever the server still sent (a TLS alert) before closing
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server left the connection open for " + PATIENCE_MILLIS + " ms", e);
        } catch (IOException reset) {
            // closed by the server with a reset or TLS alert: fine
        }
    }

    private static X509TrustManager trustAll() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
    }

    private static byte[] id() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }
}
