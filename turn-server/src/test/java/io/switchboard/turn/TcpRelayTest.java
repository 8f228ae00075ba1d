package io.switchboard.turn;

import io.switchboard.client.turn.TurnClient;
import io.switchboard.client.turn.TurnClientConfig;
import io.switchboard.stun.ConnectionId;
import io.switchboard.stun.ErrorCode;
import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.MessageType;
import io.switchboard.stun.Nonce;
import io.switchboard.stun.Realm;
import io.switchboard.stun.RequestedTransport;
import io.switchboard.stun.StunAttribute;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;
import io.switchboard.stun.Username;
import io.switchboard.stun.XorPeerAddress;
import io.switchboard.stun.XorRelayedAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 6062 TCP relays over real loopback sockets: Allocate with REQUESTED-TRANSPORT TCP, Connect to a TCP peer,
 * ConnectionAttempt for a peer that connects in, ConnectionBind on a data connection, and bytes both ways.
 */
class TcpRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private TurnServer server;
    private ServerSocket peerListener;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(b -> b.tcpRelay(true).allowPeer("127.0.0.0/8"));
        peerListener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        peerListener.close();
        server.close();
    }

    @Test
    void connectThenConnectionBindPipesBytesBothWays() throws Exception {
        TurnClient control = control();
        InetSocketAddress relayed = allocateTcp(control);
        InetSocketAddress peer = (InetSocketAddress) peerListener.getLocalSocketAddress();

        StunMessage connected = control.exchange(StunMethod.CONNECT.request(), List.of(new XorPeerAddress(peer)));
        long id = connected.attribute(ConnectionId.class).orElseThrow().id();
        Socket atPeer = accept();
        assertThat(atPeer.getRemoteSocketAddress()).as("the peer sees the relayed address").isEqualTo(relayed);

        Socket data = bind(id, 0);
        data.getOutputStream().write("from client".getBytes(StandardCharsets.UTF_8));
        assertThat(read(atPeer.getInputStream(), 11)).isEqualTo("from client");
        atPeer.getOutputStream().write("from peer".getBytes(StandardCharsets.UTF_8));
        assertThat(read(data.getInputStream(), 9)).isEqualTo("from peer");

        assertThat(code(control.exchange(StunMethod.CONNECT.request(), List.of(new XorPeerAddress(peer)))))
                .as("a second Connect to the same peer").isEqualTo(ErrorCode.CONNECTION_ALREADY_EXISTS);
        atPeer.close();
        assertThat(data.getInputStream().read()).as("the peer's close reaches the data connection").isEqualTo(-1);
    }

    @Test
    void peerConnectingInIsAnnouncedWithAConnectionAttempt() throws Exception {
        TurnClient control = control();
        InetSocketAddress relayed = allocateTcp(control);
        control.createPermission(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
        Socket peer = track(new Socket(relayed.getAddress(), relayed.getPort()));
        StunMessage attempt = control.receiveIndication(WAIT).orElseThrow();
        assertThat(attempt.type()).isEqualTo(StunMethod.CONNECTION_ATTEMPT.indication());
        assertThat(attempt.attribute(XorPeerAddress.class).orElseThrow().address()).isEqualTo(peer.getLocalSocketAddress());
        Socket data = bind(attempt.attribute(ConnectionId.class).orElseThrow().id(), 0);
        peer.getOutputStream().write("knock".getBytes(StandardCharsets.UTF_8));
        assertThat(read(data.getInputStream(), 5)).isEqualTo("knock");
        data.getOutputStream().write("come in".getBytes(StandardCharsets.UTF_8));
        assertThat(read(peer.getInputStream(), 7)).isEqualTo("come in");
    }

    @Test
    void peerWithoutPermissionIsDisconnected() throws Exception {
        TurnClient control = control();
        InetSocketAddress relayed = allocateTcp(control);
        Socket peer = track(new Socket(relayed.getAddress(), relayed.getPort()));
        peer.setSoTimeout(5000);
        assertThat(peer.getInputStream().read()).isEqualTo(-1);
        assertThat(control.receiveIndication(Duration.ofMillis(200))).isEmpty();
    }

    @Test
    void connectToAClosedPortGets447AndToADeniedPeer403() throws Exception {
        try (TurnServer strict = TestServers.start(b -> b.tcpRelay(true));
             TurnClient control = TurnClient.connect(TurnClientConfig.tcp(strict.tcpAddress(), TestServers.USER,
                     TestServers.PASSWORD))) {
            allocateTcp(control);
            assertThat(code(control.exchange(StunMethod.CONNECT.request(),
                    List.of(new XorPeerAddress(new InetSocketAddress("10.1.2.3", 80)))))).isEqualTo(403);
        }
        TurnClient control = control();
        allocateTcp(control);
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        assertThat(code(control.exchange(StunMethod.CONNECT.request(),
                List.of(new XorPeerAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed))))))
                .isEqualTo(ErrorCode.CONNECTION_TIMEOUT_OR_FAILURE);
    }

    @Test
    void connectionBindWithAnUnknownIdGets400AndTcpAllocationOverUdpGets400() throws Exception {
        TurnClient control = control();
        allocateTcp(control);
        Socket data = track(new Socket(server.tcpAddress().getAddress(), server.tcpAddress().getPort()));
        StunMessage response = signedExchange(data, StunMethod.CONNECTION_BIND.request(), List.of(new ConnectionId(12345)));
        assertThat(code(response)).isEqualTo(400);
        try (TurnClient udp = TurnClient.connect(TurnClientConfig.udp(server.udpAddress(), TestServers.USER,
                TestServers.PASSWORD))) {
            assertThat(code(udp.exchange(StunMethod.ALLOCATE.request(), List.of(new RequestedTransport(RequestedTransport.TCP)))))
                    .isEqualTo(400);
        }
    }

    @Test
    void tcpRelayIsRefusedWith442WhenTheOptionIsOff() throws Exception {
        try (TurnServer off = TestServers.start(b -> b);
             TurnClient control = TurnClient.connect(TurnClientConfig.tcp(off.tcpAddress(), TestServers.USER,
                     TestServers.PASSWORD))) {
            assertThat(code(control.exchange(StunMethod.ALLOCATE.request(),
                    List.of(new RequestedTransport(RequestedTransport.TCP))))).isEqualTo(442);
        }
    }

    private TurnClient control() {
        return track(TurnClient.connect(TurnClientConfig.tcp(server.tcpAddress(), TestServers.USER, TestServers.PASSWORD)));
    }

    private static InetSocketAddress allocateTcp(TurnClient control) {
        StunMessage response = control.exchange(StunMethod.ALLOCATE.request(),
                List.of(new RequestedTransport(RequestedTransport.TCP)));
        assertThat(code(response)).as(response.toString()).isZero();
        return response.attribute(XorRelayedAddress.class).orElseThrow().address();
    }

    /** Opens a data connection and binds it to the connection id (answering the 401 challenge). */
    private Socket bind(long id, int expectedCode) throws Exception {
        Socket data = track(new Socket(server.tcpAddress().getAddress(), server.tcpAddress().getPort()));
        StunMessage response = signedExchange(data, StunMethod.CONNECTION_BIND.request(), List.of(new ConnectionId(id)));
        assertThat(code(response)).as(response.toString()).isEqualTo(expectedCode);
        return data;
    }

    private static StunMessage signedExchange(Socket socket, MessageType type, List<StunAttribute> attributes)
            throws Exception {
        socket.setSoTimeout(5000);
        StunMessage challenge = exchange(socket, StunMessage.builder(type).addAll(attributes).build());
        String nonce = challenge.attribute(Nonce.class).orElseThrow().nonce();
        return exchange(socket, StunMessage.builder(type).addAll(attributes).add(new Username(TestServers.USER))
                .add(new Realm(TestServers.REALM)).add(new Nonce(nonce))
                .messageIntegrity(IntegrityKeys.longTermMd5(TestServers.USER, TestServers.REALM, TestServers.PASSWORD))
                .build());
    }

    private static StunMessage exchange(Socket socket, StunMessage request) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(request.toBytes());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[20];
        in.readFully(header);
        int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        byte[] message = java.util.Arrays.copyOf(header, 20 + length);
        in.readFully(message, 20, length);
        return StunMessage.decode(message);
    }

    private Socket accept() throws IOException {
        peerListener.setSoTimeout(5000);
        Socket socket = peerListener.accept();
        socket.setSoTimeout(5000);
        return track(socket);
    }

    private static String read(InputStream in, int length) throws IOException {
        byte[] bytes = new DataInputStream(in).readNBytes(length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(0, closeable);
        return closeable;
    }

    private static int code(StunMessage response) {
        return response.attribute(ErrorCode.class).map(ErrorCode::code).orElse(0);
    }
}
