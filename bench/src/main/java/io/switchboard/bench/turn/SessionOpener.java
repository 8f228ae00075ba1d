package io.switchboard.bench.turn;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Opens many TURN sessions with a bounded number of handshakes in flight, and says how long it took. */
final class SessionOpener {
    /** What came of opening: the sessions that are ready, how many failed, and the wall time in nanoseconds. */
    record Opened(List<TurnSession> ready, int failed, long nanos, String firstFailure) {
    }

    /** The socket and handler of one new session, given its index. */
    record Attempt(Bootstrap bootstrap, TurnSession session, java.net.SocketAddress server,
                   java.net.SocketAddress local) {
    }

    private SessionOpener() {
    }

    static Opened open(int count, int concurrency, IntFunction<Attempt> attempts, boolean progress)
            throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        List<TurnSession> ready = java.util.Collections.synchronizedList(new ArrayList<>(count));
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        String[] firstFailure = {""};
        List<CompletableFuture<?>> all = new ArrayList<>(count);
        long start = System.nanoTime();
        long lastReport = start;
        for (int i = 0; i < count; i++) {
            permits.acquire();
            Attempt attempt = attempts.apply(i);
            ChannelFuture connected = attempt.bootstrap().connect(attempt.server(), attempt.local());
            connected.addListener(f -> {
                if (!f.isSuccess()) {
                    attempt.session().ready().completeExceptionally(f.cause());
                }
            });
            all.add(attempt.session().ready().whenComplete((session, error) -> {
                if (error == null) {
                    ready.add(session);
                } else {
                    synchronized (firstFailure) {
                        if (firstFailure[0].isEmpty()) {
                            firstFailure[0] = String.valueOf(error.getMessage());
                        }
                    }
                    failed.incrementAndGet();
                    connected.channel().close();
                }
                done.incrementAndGet();
                permits.release();
            }));
            long now = System.nanoTime();
            if (progress && now - lastReport > TimeUnit.SECONDS.toNanos(2)) {
                lastReport = now;
                System.err.printf("  ... %d/%d allocations%n", done.get(), count);
            }
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            // counted per session above
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("  gave up waiting for the last handshakes");
        }
        long nanos = System.nanoTime() - start;
        synchronized (ready) {
            return new Opened(new ArrayList<>(ready), failed.get(), nanos, firstFailure[0]);
        }
    }
}
