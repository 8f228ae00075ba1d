package io.switchboard.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.e2e.SwitchboardProcess;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TURN client that vanishes without deleting its allocation: over UDP the allocation lives out its (shortened)
 * lifetime, then the server ends it and its relay port is free again for anyone to bind; over TCP the allocation ends
 * as soon as the connection is gone. Checked against the real jar through its admin metrics and the port itself.
 */
class VanishingTurnClientTest {
    private static SwitchboardProcess server;

    @BeforeAll
    static void start() {
        server = SwitchboardProcess.serve("--allow-peer", "127.0.0.0/8", "--user", "ghost:boo", "--tls", "false");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aUdpClientThatVanishesLosesItsAllocationWhenTheLifetimeRunsOutAndThePortReturns() throws Exception {
        InetSocketAddress relayed;
        try (EchoSocket peer = new EchoSocket();
             TurnClient client = TurnClient.connect(TurnClientConfig.udp(server.listener("turn-udp"), "ghost", "boo"))) {
            relayed = client.allocate().relayedAddress();
            client.createPermission(peer.address());
            client.send(peer.address(), "before vanishing".getBytes(StandardCharsets.UTF_8));
            assertThat(client.receive(Duration.ofSeconds(10))).isPresent();
            assertThat(client.refresh(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
            assertThatThrownBy(() -> new DatagramSocket(relayed).close()).as("the relay port is held")
                    .isInstanceOf(BindException.class);
            // The client goes away without a Refresh of lifetime 0: the socket just closes.
        }
        await("the allocation expires").atMost(Duration.ofSeconds(30)).until(() ->
                AdminMetrics.scrape(server.adminUrl()).sum("switchboard_turn_allocations") == 0);
        await("its relay port can be bound again").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (DatagramSocket reuse = new DatagramSocket(relayed)) {
                return reuse.isBound();
            }
        });
        server.awaitOutput("allocation ended udp .* reason=expired", Duration.ofSeconds(10));
    }

    @Test
    void aTcpClientThatVanishesLosesItsAllocationWithItsConnection() throws Exception {
        InetSocketAddress relayed;
        try (TurnClient client = TurnClient.connect(TurnClientConfig.tcp(server.listener("turn-tcp"), "ghost", "boo"))) {
            relayed = client.allocate().relayedAddress();
        }
        await("the allocation ends with the connection").atMost(Duration.ofSeconds(30)).until(() ->
                AdminMetrics.scrape(server.adminUrl()).sum("switchboard_turn_allocations") == 0);
        await("its relay port can be bound again").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (DatagramSocket reuse = new DatagramSocket(relayed)) {
                return reuse.isBound();
            }
        });
        server.awaitOutput("allocation ended tcp .* reason=connection-closed", Duration.ofSeconds(10));
    }
}
