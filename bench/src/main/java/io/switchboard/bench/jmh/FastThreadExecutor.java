package io.switchboard.bench.jmh;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * JMH worker threads made the way Netty makes event-loop threads ({@code FastThreadLocalThread}), so pooled buffers
 * and recycled objects behave as they do on the server's hot path. Selected with
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=io.switchboard.bench.jmh.FastThreadExecutor}.
 */
public final class FastThreadExecutor extends ThreadPoolExecutor {
    public FastThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
