package io.switchboard.client.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.MappedAddress;
import io.switchboard.stun.StunMessage;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The STUN client against coturn's turnserver, and against peers that stay silent or answer the old way. */
class StunClientTest {
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);
    private static final StunClientOptions FAST = StunClientOptions.defaults()
            .withLocalAddress(LOOPBACK_ANY_PORT)
            .withInitialRto(Duration.ofMillis(20))
            .withMaxRequests(4)
            .withLastWaitMultiplier(4)
            .withTcpTimeout(Duration.ofMillis(300));

    private static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = Coturn.withRfc5780();
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        coturn.close();
    }

    @Test
    void bindingOverUdpReturnsTheClientSocketAsMappedAddress() throws Exception {
        try (StunClient client = StunClient.open(StunClientOptions.defaults().withLocalAddress(LOOPBACK_ANY_PORT))) {
            BindingResponse response = client.binding(coturn.primary());

            assertThat(response.mappedAddress()).isEqualTo(client.localAddress());
            assertThat(response.mappedAddress().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(response.source()).isEqualTo(coturn.primary());
            assertThat(response.responseOrigin()).contains(coturn.primary());
            assertThat(response.otherAddress()).contains(new InetSocketAddress("127.0.0.2", coturn.port() + 1));
        }
    }

    @Test
    void bindingOverTcpReturnsTheConnectionsLocalAddress() throws Exception {
        try (StunClient client = StunClient.open(FAST)) {
            BindingResponse response = client.bindingOverTcp(coturn.primary());

            assertThat(response.mappedAddress()).isEqualTo(response.localAddress());
            assertThat(response.mappedAddress().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        }
    }

    @Test
    void silentServerGetsRcRetransmissionsOfOneTransactionThenATypedError() throws Exception {
        try (SilentUdpPeer silent = new SilentUdpPeer(); StunClient client = StunClient.open(FAST)) {
            assertThatThrownBy(() -> client.binding(silent.address()))
                    .isInstanceOf(StunTimeoutException.class)
                    .hasMessage("no STUN response from 127.0.0.1:" + silent.address().getPort() + " after 4 attempts (220 ms)")
                    .satisfies(e -> assertThat(((StunTimeoutException) e).attempts()).isEqualTo(4));

            await().atMost(Duration.ofSeconds(5)).until(() -> silent.received().size() >= 4);
            assertThat(silent.received()).hasSize(4).containsOnly(silent.received().get(0));
        }
    }

    @Test
    void noAnswerWithTheDefaultTimingNamesSevenAttemptsAnd39Point5Seconds() throws Exception {
        StunClientOptions defaults = StunClientOptions.defaults();
        StunTimeoutException error = new StunTimeoutException(new InetSocketAddress("127.0.0.1", 40000),
                defaults.maxRequests(), defaults.giveUpAfter(), "");
        assertThat(error).hasMessage("no STUN response from 127.0.0.1:40000 after 7 attempts (39.5 s)");
    }

    @Test
    void tcpServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             StunClient client = StunClient.open(FAST)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InetSocketAddress address = (InetSocketAddress) silent.getLocalSocketAddress();
            assertThatThrownBy(() -> client.bindingOverTcp(address))
                    .isInstanceOf(StunTimeoutException.class)
                    .hasMessage("no STUN response from 127.0.0.1:" + address.getPort() + " over TCP after 1 attempt (300 ms)");
            accepted.join().close();
        }
    }

    @Test
    void tcpConnectionRefusedIsATypedError() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = probe.getLocalPort();
        }
        try (StunClient client = StunClient.open(FAST)) {
            assertThatThrownBy(() -> client.bindingOverTcp(new InetSocketAddress("127.0.0.1", closedPort)))
                    .isInstanceOf(StunClientException.class)
                    .hasMessageStartingWith("cannot connect to STUN server 127.0.0.1:" + closedPort + " over TCP");
        }
    }

    @Test
    void oldServerAnsweringWithMappedAddressOnlyStillGivesTheMappedAddress() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             StunClient client = StunClient.open(FAST)) {
            CompletableFuture<BindingResponse> pending = client.bindingAsync(
                    (InetSocketAddress) server.getLocalSocketAddress(), java.util.List.of());
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            server.receive(packet);
            StunMessage request = StunMessage.decode(packet.getData(), 0, packet.getLength());
            InetSocketAddress seen = (InetSocketAddress) packet.getSocketAddress();
            byte[] answer = StunMessage.successResponseTo(request).add(new MappedAddress(seen)).build().toBytes();
            server.send(new DatagramPacket(answer, answer.length, seen));

            assertThat(pending.get().mappedAddress()).isEqualTo(client.localAddress());
            assertThat(pending.get().otherAddress()).isEmpty();
        }
    }

    @Test
    void errorResponseIsATypedErrorCarryingTheCode() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             StunClient client = StunClient.open(FAST)) {
            CompletableFuture<BindingResponse> pending = client.bindingAsync(
                    (InetSocketAddress) server.getLocalSocketAddress(), java.util.List.of());
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            server.receive(packet);
            StunMessage request = StunMessage.decode(packet.getData(), 0, packet.getLength());
            byte[] answer = StunMessage.errorResponseTo(request, ErrorCode.of(ErrorCode.BAD_REQUEST)).build().toBytes();
            server.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));

            assertThatThrownBy(pending::join)
                    .hasCauseInstanceOf(StunErrorResponseException.class)
                    .cause().hasMessageEndingWith("answered 400 Bad Request");
        }
    }
}
