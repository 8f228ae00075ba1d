package io.switchboard.bench.jmh;

import io.switchboard.stun.TransactionId;
import io.switchboard.turn.allocation.Allocation;
import io.switchboard.turn.allocation.AllocationException;
import io.switchboard.turn.allocation.AllocationListener;
import io.switchboard.turn.allocation.AllocationTable;
import io.switchboard.turn.allocation.ChannelBinding;
import io.switchboard.turn.allocation.FiveTuple;
import io.switchboard.turn.allocation.Permission;
import io.switchboard.turn.allocation.RelayEndpoint;
import io.switchboard.turn.allocation.Transport;
import io.switchboard.turn.policy.Quotas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The state lookups turn-server does for every relayed packet (RFC 8656 §12.6, §11.3): allocation by client address,
 * channel by number, permission by peer IP and the bandwidth quota (client to peer); permission and channel by peer
 * address (peer to client). The table holds {@code allocations} allocations; the addresses looked up are equal to,
 * not the same objects as, the keys, as with addresses decoded from each received datagram. With {@code -prof gc}
 * each method should show about 0 B/op, and the time should not grow with the table.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RelayStateBenchmark {
    private static final int CHANNEL = 0x4000;

    @Param({"100", "10000"})
    public int allocations;

    private AllocationTable.ClientIndex index;
    private InetSocketAddress[] clients;
    private InetSocketAddress[] peers;
    private Allocation[] byIndex;
    private int next;

    @Setup
    public void setUp() throws UnknownHostException, AllocationException {
        Quotas quotas = new Quotas(allocations, allocations, 64, Quotas.DEFAULT_BYTES_PER_SECOND_PER_ALLOCATION);
        AllocationTable table = new AllocationTable(Clock.systemUTC(), () -> quotas, AllocationListener.NONE);
        InetSocketAddress server = new InetSocketAddress("192.0.2.1", 3478);
        index = table.clientIndex(server, Transport.UDP);
        clients = new InetSocketAddress[allocations];
        peers = new InetSocketAddress[allocations];
        byIndex = new Allocation[allocations];
        long now = System.currentTimeMillis();
        for (int i = 0; i < allocations; i++) {
            InetSocketAddress client = address(10, i, 40000 + i % 20000);
            InetSocketAddress peer = address(100, i, 50000);
            Allocation allocation = table.reserve(new FiveTuple(client, server, Transport.UDP), "alice", "alice",
                    "example.org", TransactionId.random());
            InetSocketAddress relayed = new InetSocketAddress("192.0.2.1", 10000 + i);
            table.activate(allocation, List.of(new RelayEndpoint() {
                @Override
                public InetSocketAddress relayedAddress() {
                    return relayed;
                }

                @Override
                public void close() {
                }
            }), Duration.ofMinutes(10), false);
            allocation.bindChannel(CHANNEL, peer, now, 64, this);
            // Equal copies, as decoded from a datagram: the lookups cannot succeed on identity.
            clients[i] = address(10, i, 40000 + i % 20000);
            peers[i] = address(100, i, 50000);
            byIndex[i] = allocation;
        }
    }

    private static InetSocketAddress address(int first, int i, int port) throws UnknownHostException {
        byte[] ip = {(byte) first, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
        return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    }

    /** ChannelData from a client: allocation, channel, permission, bandwidth. */
    @Benchmark
    public boolean clientToPeer() {
        int i = next++ % allocations;
        long now = System.currentTimeMillis();
        Allocation allocation = index.find(clients[i]);
        if (allocation == null || !allocation.isActive()) {
            return false;
        }
        ChannelBinding binding = allocation.channel(CHANNEL);
        if (binding == null || !binding.isActive(now)) {
            return false;
        }
        Permission permission = allocation.permission(binding.peer().getAddress());
        return permission != null && permission.isActive(now) && allocation.consumeBandwidth(100, now);
    }

    /** A datagram from a peer to a relay: permission and the channel to wrap it in. */
    @Benchmark
    public int peerToClient() {
        int i = next++ % allocations;
        long now = System.currentTimeMillis();
        Allocation allocation = byIndex[i];
        InetSocketAddress peer = peers[i];
        Permission permission = allocation.permission(peer.getAddress());
        if (permission == null || !permission.isActive(now)) {
            return -1;
        }
        ChannelBinding binding = allocation.channelTo(peer);
        return binding != null && binding.isActive(now) ? binding.number() : 0;
    }
}
