package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.client.turn.TurnAllocation;
import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The TURN server as {@code bin/switchboard serve --user alice:secret --realm example.org --allow-peer 127.0.0.0/8}
 * runs it: coturn's turnutils_uclient in its four modes, and the credentials of /api/ice-servers.
 */
class TurnRelayTest {
    private static final String SECRET = "e2e-rest-secret";
    private static SwitchboardProcess server;
    private static EchoPeer peer;

    @BeforeAll
    static void start() throws Exception {
        server = SwitchboardProcess.serve("--user", "alice:secret", "--realm", "example.org",
                "--allow-peer", "127.0.0.0/8", "--auth-secret", SECRET, "--credential-ttl", "3");
        peer = EchoPeer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        server.close();
    }

    @ParameterizedTest(name = "uclient {0}")
    @CsvSource({
        "UDP channels,",
        "UDP Send indications,-s",
        "TCP channels,-t",
        "TCP Send indications,-t -s",
    })
    void coturnUclientRelaysEveryPacket(String mode, String flags) {
        List<String> command = new ArrayList<>(List.of("turnutils_uclient"));
        if (flags != null) {
            command.addAll(List.of(flags.split(" ")));
        }
        command.addAll(List.of("-u", "alice", "-w", "secret", "-m", "10", "-n", "200", "-l", "170", "-z", "5",
                "-e", "127.0.0.1", "-r", Integer.toString(peer.port()),
                "-p", Integer.toString(server.listener("turn-udp").getPort()), "127.0.0.1"));
        ExternalCommand result = ExternalCommand.uclient(Duration.ofSeconds(90), command);
        assertThat(last(result.output(), "Total lost packets (\\d+)")).as(result.output()).isZero();
        assertThat(last(result.output(), "tot_send_msgs=(\\d+)")).as(result.output()).isEqualTo(2000);
        assertThat(last(result.output(), "tot_recv_msgs=(\\d+)")).as(result.output()).isEqualTo(2000);
    }

    @Test
    void coturnUclientRelaysWithRestCredentials() {
        ExternalCommand result = ExternalCommand.uclient(Duration.ofSeconds(90), List.of("turnutils_uclient",
                "-u", "bob", "-W", SECRET, "-m", "4", "-n", "100", "-l", "170", "-z", "5",
                "-e", "127.0.0.1", "-r", Integer.toString(peer.port()),
                "-p", Integer.toString(server.listener("turn-udp").getPort()), "127.0.0.1"));
        assertThat(last(result.output(), "Total lost packets (\\d+)")).as(result.output()).isZero();
        assertThat(last(result.output(), "tot_recv_msgs=(\\d+)")).as(result.output()).isEqualTo(400);
    }

    @Test
    void iceServerCredentialsAllocateUntilTheyExpire() throws Exception {
        JsonNode ice = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.httpUrl() + "/api/ice-servers?user=carol")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String username = ice.get("username").asText();
        String password = ice.get("password").asText();
        InetSocketAddress turn = server.listener("turn-udp");

        try (TurnClient client = TurnClient.connect(TurnClientConfig.udp(turn, username, password))) {
            TurnAllocation allocation = client.allocate();
            assertThat(allocation.relayedAddress().getPort()).isPositive();
        }
        try (TurnClient client = TurnClient.connect(TurnClientConfig.tcp(turn, username, password))) {
            assertThat(client.allocate().relayedAddress().getPort()).isPositive();
        }

        Thread.sleep(4000);
        try (TurnClient client = TurnClient.connect(TurnClientConfig.udp(turn, username, password))) {
            assertThatThrownBy(client::allocate)
                    .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(401));
        }
    }

    @Test
    void staticUserAllocatesAndAWrongPasswordIsRefused() {
        InetSocketAddress turn = server.listener("turn-udp");
        try (TurnClient client = TurnClient.connect(TurnClientConfig.udp(turn, "alice", "secret"))) {
            assertThat(client.allocate().relayedAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
        try (TurnClient client = TurnClient.connect(TurnClientConfig.udp(turn, "alice", "wrong"))) {
            assertThatThrownBy(client::allocate)
                    .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(401));
        }
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
