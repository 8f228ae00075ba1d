package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.config.ConfigOption;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** The TLS listeners as the running product wires them: one certificate, turns: URIs, the public host name. */
class SwitchboardTlsTest {

    @Test
    void iceServersNameThePublicHostWhichTheSelfSignedCertificateCovers() throws Exception {
        try (RunningSwitchboard server = RunningSwitchboard.start(null, ConfigOption.PUBLIC_HOST, "turn.example.org")) {
            JsonNode ice = new ObjectMapper().readTree(RunningSwitchboard.get(server.url("http", "/api/ice-servers")).body());
            int turns = server.listener("turns").getPort();
            int turn = server.listener("turn-udp").getPort();

            assertThat(ice.get("uris").toString()).contains("stun:turn.example.org:" + turn,
                    "turn:turn.example.org:" + turn + "?transport=udp", "turns:turn.example.org:" + turns + "?transport=tcp");
            X509Certificate certificate = certificateOf(server.listener("https"));
            assertThat(certificateOf(server.listener("turns"))).isEqualTo(certificate);
            List<String> names = new ArrayList<>();
            certificate.getSubjectAlternativeNames().forEach(san -> names.add(String.valueOf(san.get(1))));
            assertThat(names).contains("localhost", "turn.example.org", "127.0.0.1");
        }
    }

    @Test
    void fleetUrisFollowThisNodesOwnWithTheSameCredentials() throws Exception {
        try (RunningSwitchboard server = RunningSwitchboard.start(null, ConfigOption.FLEET_URI, "stun:192.0.2.20:3478",
                ConfigOption.FLEET_URI, "turn:192.0.2.20:3478?transport=udp")) {
            JsonNode ice = new ObjectMapper().readTree(RunningSwitchboard.get(server.url("http", "/api/ice-servers")).body());
            int turn = server.listener("turn-udp").getPort();

            assertThat(ice.get("iceServers").get(0).get("urls").toString())
                    .isEqualTo("[\"stun:127.0.0.1:" + turn + "\",\"stun:192.0.2.20:3478\"]");
            JsonNode relays = ice.get("iceServers").get(1);
            assertThat(relays.get("urls").get(0).asText()).isEqualTo("turn:127.0.0.1:" + turn + "?transport=udp");
            assertThat(relays.get("urls").toString()).endsWith("\"turn:192.0.2.20:3478?transport=udp\"]");
            assertThat(relays.get("credential").asText()).isEqualTo(ice.get("password").asText());
        }
    }

    @Test
    void withTlsOffThereIsNoTlsListenerAndNoTurnsUri() throws Exception {
        try (RunningSwitchboard server = RunningSwitchboard.start(null, ConfigOption.TLS, "false")) {
            JsonNode ice = new ObjectMapper().readTree(RunningSwitchboard.get(server.url("http", "/api/ice-servers")).body());

            assertThat(server.listeners).containsKeys("turn-udp", "turn-tcp", "http", "admin")
                    .doesNotContainKeys("turns", "https");
            assertThat(ice.get("uris").toString()).doesNotContain("turns:");
        }
    }

    private static X509Certificate certificateOf(InetSocketAddress address) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
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
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
