package io.switchboard.bench.turn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The probe traffic of the sessions on one event loop: ChannelData carrying a sequence number and the intended send
 * time, paced at a fixed rate (open loop, 1 ms ticks) or flooded with a fixed window of packets in flight per session
 * (closed loop). Round-trip times run from the moment each packet is written to the socket.
 */
final class RelayTraffic implements TurnSession.DataListener {
    private static final int HEADER = 4;
    private static final int PROBE = 16;
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final EventLoop loop;
    private final int payloadSize;
    private final double packetsPerSecond;
    private final int window;
    private final Recorder roundTrips;
    private final List<TurnSession> sessions = new ArrayList<>();
    private final List<TurnSession> dirty = new ArrayList<>();

    final LongAdder sentInWindow = new LongAdder();
    final LongAdder echoedInWindow = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder sent = new LongAdder();

    private volatile boolean sending;
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private long startNanos;
    private long scheduled;
    private int cursor;
    private ScheduledFuture<?> ticker;

    /**
     * @param packetsPerSecond the paced rate of this loop's sessions together, or 0 to flood
     * @param window           packets in flight per session when flooding
     */
    RelayTraffic(EventLoop loop, int payloadSize, double packetsPerSecond, int window, Recorder roundTrips) {
        if (payloadSize < PROBE) {
            throw new IllegalArgumentException("payload must hold the " + PROBE + "-byte probe, got " + payloadSize);
        }
        this.loop = loop;
        this.payloadSize = payloadSize;
        this.packetsPerSecond = packetsPerSecond;
        this.window = window;
        this.roundTrips = roundTrips;
    }

    EventLoop loop() {
        return loop;
    }

    void add(TurnSession session) {
        sessions.add(session);
    }

    void remove(TurnSession session) {
        loop.execute(() -> sessions.remove(session));
    }

    void start() {
        loop.execute(() -> {
            startNanos = System.nanoTime();
            sending = true;
            ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
        });
    }

    void openWindow(long nanos) {
        windowStart = nanos;
    }

    void closeWindow(long nanos) {
        windowEnd = nanos;
        sending = false;
        loop.execute(() -> {
            if (ticker != null) {
                ticker.cancel(false);
            }
        });
    }

    private void tick() {
        if (!sending || sessions.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (packetsPerSecond > 0) {
            long due = (long) ((now - startNanos) * packetsPerSecond / 1e9) - scheduled;
            long burst = Math.max(1, (long) (packetsPerSecond / 100)); // at most 10 ms worth per tick
            for (long i = 0, n = Math.min(due, burst); i < n; i++) {
                scheduled++;
                TurnSession session = sessions.get(cursor);
                cursor = cursor + 1 == sessions.size() ? 0 : cursor + 1;
                send(session, System.nanoTime());
            }
        } else {
            for (TurnSession session : sessions) {
                if (session.nextSequence - session.highestEchoed > 1 && now - session.lastProgressNanos > STALL_NANOS) {
                    session.highestEchoed = session.nextSequence - 1; // the window was lost: start it again
                    session.lastProgressNanos = now;
                }
                fill(session, now);
            }
        }
        flushDirty();
    }

    private void fill(TurnSession session, long now) {
        while (sending && session.nextSequence - session.highestEchoed - 1 < window) {
            send(session, now);
        }
    }

    private void send(TurnSession session, long sentAt) {
        if (!session.channel().isActive()) {
            return;
        }
        ByteBuf buf = session.channel().alloc().directBuffer(HEADER + payloadSize);
        buf.writeShort(session.channelNumber());
        buf.writeShort(payloadSize);
        buf.writeLong(session.nextSequence++);
        buf.writeLong(sentAt);
        buf.writeZero(payloadSize - PROBE);
        session.channel().write(buf, session.channel().voidPromise());
        sent.increment();
        if (sentAt >= windowStart) {
            sentInWindow.increment();
        }
        if (!session.dirty) {
            session.dirty = true;
            dirty.add(session);
        }
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            TurnSession session = dirty.get(i);
            session.dirty = false;
            session.channel().flush();
        }
        dirty.clear();
    }

    @Override
    public void onChannelData(TurnSession session, ByteBuf channelData) {
        long now = System.nanoTime();
        int index = channelData.readerIndex();
        if (channelData.readableBytes() < HEADER + PROBE) {
            return;
        }
        long sequence = channelData.getLong(index + HEADER);
        long sentAt = channelData.getLong(index + HEADER + 8);
        received.increment();
        if (sentAt >= windowStart && sentAt < windowEnd) {
            echoedInWindow.increment();
            roundTrips.recordValue(Math.max(0, now - sentAt));
        }
        if (packetsPerSecond <= 0) {
            if (sequence > session.highestEchoed) {
                session.highestEchoed = sequence;
            }
            session.lastProgressNanos = now;
            fill(session, now);
        }
    }

    @Override
    public void onReadComplete(TurnSession session) {
        flushDirty();
    }
}
