package io.switchboard.turn.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.turn.TestServers;
import io.switchboard.turn.TurnServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * coturn's turnutils_uclient, unchanged, follows 300 Try Alternate: pointed at a draining Switchboard server whose
 * {@code --alternate-server} is a second one, its clients allocate on the second and relay every packet there.
 */
class UclientAlternateServerTest {
    private static final SimpleMeterRegistry DRAINING_METRICS = new SimpleMeterRegistry();
    private static final SimpleMeterRegistry ALTERNATE_METRICS = new SimpleMeterRegistry();
    private static TurnServer alternate;
    private static TurnServer draining;
    private static CoturnTools.EchoPeer peer;

    @BeforeAll
    static void start() throws Exception {
        alternate = TestServers.start(b -> b.allowPeer("127.0.0.0/8"), ALTERNATE_METRICS, Clock.systemUTC());
        draining = TestServers.start(b -> b.allowPeer("127.0.0.0/8").alternateServer(alternate.udpAddress()),
                DRAINING_METRICS, Clock.systemUTC());
        draining.drain();
        peer = CoturnTools.EchoPeer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {peer, draining, alternate}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void uclientOverUdpFollowsTheRedirectAndRelaysEveryPacketThroughTheAlternate() throws Exception {
        assertRelayedByTheAlternate("alternate-udp");
    }

    @Test
    void uclientOverTcpFollowsTheRedirectAndRelaysEveryPacketThroughTheAlternate() throws Exception {
        assertRelayedByTheAlternate("alternate-tcp", "-t");
    }

    private static void assertRelayedByTheAlternate(String name, String... flags) throws Exception {
        double redirectsBefore = counter(DRAINING_METRICS, "switchboard.turn.redirects", "reason", "draining");
        double startedBefore = ALTERNATE_METRICS.get("switchboard.turn.allocations.started").counter().count();
        List<String> args = new ArrayList<>(List.of(flags));
        args.addAll(List.of("-u", TestServers.USER, "-w", TestServers.PASSWORD, "-m", "4", "-n", "100", "-l", "170",
                "-z", "5", "-e", "127.0.0.1", "-r", Integer.toString(peer.port()),
                "-p", Integer.toString(draining.udpAddress().getPort()), "127.0.0.1"));
        CoturnTools.UclientReport report = CoturnTools.uclient(args, CoturnTools.logFile(name));
        assertThat(report.lostPackets()).as(report.output()).isZero();
        assertThat(report.sentMessages()).as(report.output()).isEqualTo(400);
        assertThat(report.receivedMessages()).as(report.output()).isEqualTo(400);
        assertThat(counter(DRAINING_METRICS, "switchboard.turn.redirects", "reason", "draining") - redirectsBefore)
                .as("Allocates the draining server redirected (uclient probes before its clients connect)").isPositive();
        assertThat(DRAINING_METRICS.get("switchboard.turn.allocations.started").counter().count())
                .as("allocations on the draining server").isZero();
        assertThat(ALTERNATE_METRICS.get("switchboard.turn.allocations.started").counter().count() - startedBefore)
                .as("allocations on the alternate").isGreaterThanOrEqualTo(4);
    }

    private static double counter(SimpleMeterRegistry registry, String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }
}
