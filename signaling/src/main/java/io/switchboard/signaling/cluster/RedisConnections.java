package io.switchboard.signaling.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The three Lettuce connections of a node: {@code relay} carries what clients ask for, in their order; {@code control}
 * the node's own work, so that a burst of relay traffic never delays its lease; {@code pubsub} the node's channel.
 * They reconnect by themselves (50 ms to 2 s backoff) and refuse commands while disconnected, so a lost Redis shows
 * at once as failed commands.
 */
final class RedisConnections {
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> relay;
    private final StatefulRedisConnection<byte[], byte[]> control;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;

    private RedisConnections(ClientResources resources, RedisClient client, StatefulRedisConnection<byte[], byte[]> relay,
                             StatefulRedisConnection<byte[], byte[]> control,
                             StatefulRedisPubSubConnection<byte[], byte[]> pubsub) {
        this.resources = resources;
        this.client = client;
        this.relay = relay;
        this.control = control;
        this.pubsub = pubsub;
    }

    /** Connects to {@code redis}; throws Lettuce's {@code RedisException} when it cannot. */
    static RedisConnections open(URI redis, Duration commandTimeout, RedisConnectionStateListener states,
                                 RedisPubSubListener<byte[], byte[]> messages) {
        RedisURI uri = RedisURI.create(redis);
        uri.setTimeout(commandTimeout);
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        try {
            StatefulRedisConnection<byte[], byte[]> relay = client.connect(ByteArrayCodec.INSTANCE);
            StatefulRedisConnection<byte[], byte[]> control = client.connect(ByteArrayCodec.INSTANCE);
            StatefulRedisPubSubConnection<byte[], byte[]> pubsub = client.connectPubSub(ByteArrayCodec.INSTANCE);
            pubsub.addListener(messages);
            client.addListener(states);
            return new RedisConnections(resources, client, relay, control, pubsub);
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    StatefulRedisConnection<byte[], byte[]> relay() {
        return relay;
    }

    StatefulRedisConnection<byte[], byte[]> control() {
        return control;
    }

    StatefulRedisPubSubConnection<byte[], byte[]> pubsub() {
        return pubsub;
    }

    /** Whether all three connections are up (again). */
    boolean allOpen() {
        return relay.isOpen() && control.isOpen() && pubsub.isOpen();
    }

    /** Threads for the node's timers and for work that must not run under a caller's lock. */
    EventExecutorGroup executors() {
        return resources.eventExecutorGroup();
    }

    /** Drops the connections at once, telling Redis nothing. */
    void crash() {
        client.shutdownAsync(0, 0, TimeUnit.SECONDS);
        resources.shutdown(0, 0, TimeUnit.SECONDS);
    }

    void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
