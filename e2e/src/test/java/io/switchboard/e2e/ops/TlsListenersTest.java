package io.switchboard.e2e.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.e2e.ExternalCommand;
import io.switchboard.e2e.SwitchboardProcess;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code serve} with TLS on and no certificate given: TURN over TLS and HTTPS/WSS with a self-signed certificate,
 * checked with coturn's uclient, the SDK's TURN client and HTTPS/WSS clients.
 */
class TlsListenersTest {
    private static final HttpClient HTTPS = InsecureTls.httpClient();
    private static SwitchboardProcess server;
    private static UdpEcho peer;

    @BeforeAll
    static void start() {
        server = SwitchboardProcess.serve("--user", "alice:tls-password", "--allow-peer", "127.0.0.0/8");
        peer = new UdpEcho();
    }

    @AfterAll
    static void stop() {
        peer.close();
        server.close();
    }

    @Test
    void printsListeningLinesForTurnsAndHttps() {
        assertThat(server.listeners()).containsKeys("turns", "https");
        assertThat(server.listener("turns").getPort()).isNotIn(0, 5349, server.listener("turn-tcp").getPort());
        assertThat(server.listener("https").getPort()).isNotIn(0, 8443, server.listener("http").getPort());
    }

    @ParameterizedTest(name = "uclient -t -S {0}")
    @CsvSource({"channels,", "Send indications,-s"})
    void coturnUclientRelaysEveryPacketOverTurns(String mode, String flag) {
        List<String> command = new ArrayList<>(List.of("turnutils_uclient", "-t", "-S"));
        if (flag != null) {
            command.add(flag);
        }
        command.addAll(List.of("-u", "alice", "-w", "tls-password", "-m", "10", "-n", "200", "-l", "170", "-z", "5",
                "-e", "127.0.0.1", "-r", Integer.toString(peer.port()),
                "-p", Integer.toString(server.listener("turns").getPort()), "127.0.0.1"));
        ExternalCommand result = ExternalCommand.uclient(Duration.ofSeconds(90), command);

        assertThat(last(result.output(), "tot_send_msgs=(\\d+)")).as(result.output()).isEqualTo(2000);
        assertThat(last(result.output(), "tot_recv_msgs=(\\d+)")).as(result.output()).isEqualTo(2000);
        assertThat(last(result.output(), "Total lost packets (\\d+)")).as(result.output()).isZero();
    }

    @Test
    void theSdkTurnClientRelaysOverTurns() {
        try (TurnClient client = TurnClient.connect(TurnClientConfig.tls(server.listener("turns"), "alice", "tls-password",
                InsecureTls.nettyClient()))) {
            client.allocate();
            client.createPermission(peer.address());
            client.send(peer.address(), "over tls".getBytes());
            assertThat(client.receive(Duration.ofSeconds(5))).hasValueSatisfying(data ->
                    assertThat(new String(data.data())).isEqualTo("over tls"));
        }
    }

    @Test
    void theSelfSignedCertificateNamesLocalhostAndTheLoopbackAddresses() throws Exception {
        X509Certificate turns = InsecureTls.certificateOf(server.listener("turns"));
        X509Certificate https = InsecureTls.certificateOf(server.listener("https"));

        assertThat(https).isEqualTo(turns);
        List<String> names = new ArrayList<>();
        for (List<?> san : turns.getSubjectAlternativeNames()) {
            names.add(String.valueOf(san.get(1)));
        }
        assertThat(names).contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(server.output()).contains("tls certificate generated");
    }

    @Test
    void httpsServesTheWebClientAndIceServersWithTurnsUris() throws Exception {
        HttpResponse<String> page = HTTPS.send(HttpRequest.newBuilder(URI.create(server.httpsUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html");

        JsonNode ice = new ObjectMapper().readTree(HTTPS.send(HttpRequest.newBuilder(
                URI.create(server.httpsUrl() + "/api/ice-servers")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(ice.get("uris").toString()).contains(turnsUri());
    }

    @Test
    void joinedOverWssCarriesTurnsUris() {
        try (SignalingSocket socket = SignalingSocket.connect(HTTPS, server.httpsUrl())) {
            JsonNode joined = socket.join("tls-room", "");
            assertThat(joined.get("iceServers").toString()).contains(turnsUri());
        }
    }

    private static String turnsUri() {
        InetSocketAddress turns = server.listener("turns");
        return "turns:127.0.0.1:" + turns.getPort() + "?transport=tcp";
    }

    private static long last(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        long value = -1;
        while (m.find()) {
            value = Long.parseLong(m.group(1));
        }
        return value;
    }
}
