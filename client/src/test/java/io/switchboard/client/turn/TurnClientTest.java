package io.switchboard.client.turn;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SDK's TURN client against coturn's turnserver, the reference implementation, over UDP and TCP. */
class TurnClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static CoturnServer coturn;
    private static DatagramSocket peer;
    private static Thread echo;

    @BeforeAll
    static void start() throws Exception {
        coturn = CoturnServer.start();
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        echo = new Thread(() -> {
            byte[] buffer = new byte[2048];
            while (!peer.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    peer.receive(packet);
                    peer.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }, "echo-peer");
        echo.setDaemon(true);
        echo.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void allocatesAfterTheChallengeAndRelaysBothWaysOverUdp() {
        try (TurnClient client = TurnClient.connect(config(TurnClientConfig.Transport.UDP))) {
            TurnAllocation allocation = client.allocate();
            assertThat(allocation.relayedAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(allocation.mappedAddress()).isEqualTo(client.localAddress());
            assertThat(allocation.lifetime()).isPositive();
            roundTrips(client);
        }
    }

    @Test
    void allocatesAndRelaysBothWaysOverTcp() {
        try (TurnClient client = TurnClient.connect(config(TurnClientConfig.Transport.TCP))) {
            client.allocate();
            roundTrips(client);
        }
    }

    @Test
    void wrongPasswordFailsWith401() {
        try (TurnClient client = TurnClient.connect(config(TurnClientConfig.Transport.UDP).withCredentials("alice", "no"))) {
            assertThatThrownBy(client::allocate).isInstanceOfSatisfying(TurnClientException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(401));
        }
    }

    @Test
    void secondAllocateIsRefusedWith437AndRefreshToZeroIsGranted() {
        try (TurnClient client = TurnClient.connect(config(TurnClientConfig.Transport.UDP))) {
            client.allocate();
            assertThat(client.refresh(Duration.ofSeconds(300))).isPositive();
            assertThatThrownBy(client::allocate).isInstanceOfSatisfying(TurnClientException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(437));
            assertThat(client.refresh(Duration.ZERO)).isZero();
        }
    }

    @Test
    void unansweredRequestTimesOut() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             TurnClient client = TurnClient.connect(TurnClientConfig.udp((InetSocketAddress) silent.getLocalSocketAddress(),
                     "alice", "secret").withTimeout(Duration.ofMillis(700)))) {
            assertThatThrownBy(client::allocate).isInstanceOfSatisfying(TurnClientException.class,
                    e -> assertThat(e.errorCode()).isZero()).hasMessageContaining("no answer");
        }
    }

    private static void roundTrips(TurnClient client) {
        InetSocketAddress target = (InetSocketAddress) peer.getLocalSocketAddress();
        client.createPermission(target);
        client.send(target, "indication".getBytes(StandardCharsets.UTF_8));
        ReceivedData viaIndication = client.receive(WAIT).orElseThrow();
        assertThat(viaIndication.peer()).isEqualTo(target);
        assertThat(viaIndication.viaChannel()).isFalse();
        assertThat(new String(viaIndication.data(), StandardCharsets.UTF_8)).isEqualTo("indication");

        client.bindChannel(0x4001, target);
        client.sendChannelData(0x4001, "channel".getBytes(StandardCharsets.UTF_8));
        ReceivedData viaChannel = client.receive(WAIT).orElseThrow();
        assertThat(viaChannel.channel()).isEqualTo(0x4001);
        assertThat(new String(viaChannel.data(), StandardCharsets.UTF_8)).isEqualTo("channel");
    }

    private static TurnClientConfig config(TurnClientConfig.Transport transport) {
        return new TurnClientConfig(coturn.address(), transport, CoturnServer.USER, CoturnServer.PASSWORD,
                Duration.ofSeconds(5), false, java.util.Optional.empty());
    }
}
