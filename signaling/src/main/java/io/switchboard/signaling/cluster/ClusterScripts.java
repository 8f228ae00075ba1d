package io.switchboard.signaling.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Lua scripts that change cluster state in Redis, each run atomically with EVALSHA. Every script is the shared
 * library {@code lib.lua} followed by its own body, and takes the backlog limits as its first two arguments.
 */
final class ClusterScripts {
    private static final byte[][] NO_KEYS = new byte[0][];

    /** One script, loaded from {@code io/switchboard/signaling/cluster/<name>.lua}. */
    enum Script {
        JOIN("join"), SIGNAL("signal"), LEAVE("leave"), DETACH("detach"), RESUME("resume"), RECLAIM("reclaim"),
        REAP("reap"), EXPIRE("expire"), SENT("sent"), ORPHAN("orphan");

        private final byte[] source;

        Script(String name) {
            this.source = (read("lib") + "\n" + read(name)).getBytes(StandardCharsets.UTF_8);
        }

        private static String read(String name) {
            String path = "/io/switchboard/signaling/cluster/" + name + ".lua";
            try (InputStream in = ClusterScripts.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing cluster script " + path);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final byte[] maxMessages;
    private final byte[] maxBytes;
    private final String[] digests = new String[Script.values().length];

    ClusterScripts(RedisAsyncCommands<byte[], byte[]> redis, int maxMessages, long maxBytes) {
        this.redis = redis;
        this.maxMessages = Bytes.of(maxMessages);
        this.maxBytes = Bytes.of(maxBytes);
        for (Script script : Script.values()) {
            digests[script.ordinal()] = redis.digest(script.source);
        }
    }

    /** Loads every script into Redis's script cache (needed after Redis restarted). */
    CompletableFuture<Void> load() {
        List<CompletableFuture<String>> loads = new ArrayList<>();
        for (Script script : Script.values()) {
            loads.add(redis.scriptLoad(script.source).toCompletableFuture());
        }
        return CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0]));
    }

    /** Runs {@code script} with {@code args} after the backlog limits; the reply is a Long. */
    CompletableFuture<Long> integer(Script script, byte[]... args) {
        RedisFuture<Long> reply = redis.evalsha(digests[script.ordinal()], ScriptOutputType.INTEGER, NO_KEYS, withLimits(args));
        return reply.toCompletableFuture();
    }

    /** Runs {@code script} with {@code args} after the backlog limits; the reply is a list (byte[], Long, List). */
    CompletableFuture<List<Object>> multi(Script script, byte[]... args) {
        RedisFuture<List<Object>> reply = redis.evalsha(digests[script.ordinal()], ScriptOutputType.MULTI, NO_KEYS,
                withLimits(args));
        return reply.toCompletableFuture();
    }

    private byte[][] withLimits(byte[][] args) {
        byte[][] all = new byte[args.length + 2][];
        all[0] = maxMessages;
        all[1] = maxBytes;
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }
}
