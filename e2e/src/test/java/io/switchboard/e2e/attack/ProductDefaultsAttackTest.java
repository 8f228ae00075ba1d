package io.switchboard.e2e.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.client.turn.TurnClientException;
import io.switchboard.e2e.SwitchboardProcess;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.Software;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product as shipped ({@code switchboard serve} with no security flags) against the attacks of docs/SECURITY.md:
 * relays to loopback, the cloud metadata address and private networks are refused in their disguised spellings too,
 * TURN is not anonymous, SOFTWARE tells no version, and metrics are not on the public listener.
 */
class ProductDefaultsAttackTest {
    private static SwitchboardProcess server;

    @BeforeAll
    static void start() {
        server = SwitchboardProcess.serve("--user", "alice:secret", "--tls", "false");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theDefaultPolicyRefusesLoopbackMetadataAndPrivatePeersInEverySpelling() throws Exception {
        try (TurnClient client = TurnClient.connect(TurnClientConfig.udp(server.listener("turn-udp"), "alice", "secret"))) {
            client.allocate();
            for (String spelling : List.of("127.0.0.1", "0.0.0.0", "::1", "::ffff:127.0.0.1", "::127.0.0.1",
                    "64:ff9b::7f00:1", "2002:7f00:1::", "169.254.169.254", "::ffff:169.254.169.254", "10.0.0.1",
                    "172.16.0.1", "192.168.1.1", "224.0.0.1", "fe80::1")) {
                InetSocketAddress peer = new InetSocketAddress(literal(spelling), 80);
                assertThatThrownBy(() -> client.createPermission(peer)).as(spelling)
                        .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(403));
                assertThatThrownBy(() -> client.bindChannel(0x4000, peer)).as(spelling)
                        .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(403));
            }
        }
    }

    @Test
    void turnIsNotAnonymousAndSoftwareCarriesNoVersion() {
        try (TurnClient client = TurnClient.connect(TurnClientConfig.udp(server.listener("turn-udp"), "nobody", "x"))) {
            StunMessage challenge = client.transact(StunMessage.builder(StunMethod.ALLOCATE.request())
                    .add(new RequestedTransport(RequestedTransport.UDP)).build());
            assertThat(challenge.attribute(ErrorCode.class).orElseThrow().code()).isEqualTo(401);
            assertThat(challenge.attribute(Software.class).map(Software::description).orElse(""))
                    .doesNotContainPattern("[0-9]");
            assertThatThrownBy(client::allocate)
                    .isInstanceOfSatisfying(TurnClientException.class, e -> assertThat(e.errorCode()).isEqualTo(401));
        }
    }

    @Test
    void metricsAreNotServedOnThePublicListener() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.httpUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("switchboard_turn");
        assertThat(server.listener("admin").getAddress().isLoopbackAddress()).isTrue();
    }

    private static InetAddress literal(String text) throws Exception {
        InetAddress parsed = InetAddress.getByName(text);
        if (text.contains(":") && parsed.getAddress().length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
            return Inet6Address.getByAddress(null, mapped, -1);
        }
        return parsed;
    }
}
