package io.switchboard.turn.interop;

import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * coturn's turnutils_uclient, unchanged, against Switchboard's server with turnutils_peer as the UDP echo peer:
 * 10 clients x 200 messages x 170 bytes must all come back, in channel mode and Send-indication mode, over UDP and
 * TCP, with long-term and TURN REST credentials.
 */
class UclientInteropTest {
    private static final String SECRET = "rest-secret";
    private static TurnServer server;
    private static CoturnTools.EchoPeer peer;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(b -> b.allowPeer("127.0.0.0/8").authSecret(SECRET));
        peer = CoturnTools.EchoPeer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void relaysEveryPacketOverUdpChannels() throws Exception {
        assertNoLoss("udp-channel-longterm", longTerm());
    }

    @Test
    void relaysEveryPacketOverUdpSendIndications() throws Exception {
        assertNoLoss("udp-send-longterm", longTerm("-s"));
    }

    @Test
    void relaysEveryPacketOverTcpChannels() throws Exception {
        assertNoLoss("tcp-channel-longterm", longTerm("-t"));
    }

    @Test
    void relaysEveryPacketOverTcpSendIndications() throws Exception {
        assertNoLoss("tcp-send-longterm", longTerm("-t", "-s"));
    }

    @Test
    void relaysEveryPacketOverUdpChannelsWithRestCredentials() throws Exception {
        assertNoLoss("udp-channel-rest", rest());
    }

    @Test
    void relaysEveryPacketOverTcpSendIndicationsWithRestCredentials() throws Exception {
        assertNoLoss("tcp-send-rest", rest("-t", "-s"));
    }

    private static List<String> longTerm(String... flags) {
        List<String> args = new ArrayList<>(List.of(flags));
        args.addAll(List.of("-u", TestServers.USER, "-w", TestServers.PASSWORD));
        return args;
    }

    private static List<String> rest(String... flags) {
        List<String> args = new ArrayList<>(List.of(flags));
        args.addAll(List.of("-u", "bob", "-W", SECRET));
        return args;
    }

    private static void assertNoLoss(String name, List<String> credentials) throws Exception {
        List<String> args = new ArrayList<>(credentials);
        args.addAll(List.of("-m", "10", "-n", "200", "-l", "170", "-z", "5",
                "-e", "127.0.0.1", "-r", Integer.toString(peer.port()),
                "-p", Integer.toString(server.udpAddress().getPort()), "127.0.0.1"));
        CoturnTools.UclientReport report = CoturnTools.uclient(args, CoturnTools.logFile(name));
        assertThat(report.lostPackets()).as(report.output()).isZero();
        assertThat(report.sentMessages()).as(report.output()).isEqualTo(2000);
        assertThat(report.receivedMessages()).as(report.output()).isEqualTo(2000);
    }
}
