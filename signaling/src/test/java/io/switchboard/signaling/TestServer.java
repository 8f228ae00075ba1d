package io.switchboard.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.signaling.http.HttpRoutes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/** A signaling server on 127.0.0.1 and a free port, with its meters, for one test. */
final class TestServer implements AutoCloseable {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SignalingServer server;

    private TestServer(SignalingConfig config, IceServersProvider iceServers, HttpRoutes routes) {
        this.server = SignalingServer.builder(config).iceServers(iceServers).routes(routes).meterRegistry(registry)
                .threads(2).start();
    }

    /** Loopback, any port, and limits high enough not to interfere unless a test lowers them. */
    static SignalingConfig.Builder config() {
        return SignalingConfig.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .messageRate(1_000_000)
                .messageBurst(1_000_000);
    }

    /** A node of a cluster on the Redis at {@code redis}, with a two-second lease so that failures show quickly. */
    static SignalingConfig.Builder clusterConfig(URI redis, String nodeId) {
        return config().redis(redis).nodeId(nodeId).clusterLease(java.time.Duration.ofSeconds(2));
    }

    static TestServer start() {
        return start(config());
    }

    static TestServer start(SignalingConfig.Builder config) {
        return new TestServer(config.build(), IceServersProvider.none(), HttpRoutes.empty());
    }

    static TestServer start(SignalingConfig.Builder config, IceServersProvider iceServers, HttpRoutes routes) {
        return new TestServer(config.build(), iceServers, routes);
    }

    InetSocketAddress address() {
        return server.address();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    TestSocket connect() {
        return TestSocket.connect(server.address());
    }

    /** A connected peer and the {@code joined} message it got. */
    record Member(TestSocket socket, JsonNode joined) {
        String id() {
            return joined.path("id").asText();
        }

        String resume() {
            return joined.path("resume").asText();
        }
    }

    /** Connects and joins {@code room} as {@code name}. */
    Member join(String room, String name) {
        TestSocket socket = connect();
        socket.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"" + name + "\"}");
        return new Member(socket, socket.next("joined"));
    }

    double counter(String name, String tagKey, String tagValue) {
        var search = registry.find(name);
        if (tagKey != null) {
            search = search.tag(tagKey, tagValue);
        }
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    double gauge(String name, String tagKey, String tagValue) {
        var search = registry.find(name);
        if (tagKey != null) {
            search = search.tag(tagKey, tagValue);
        }
        var gauge = search.gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    @Override
    public void close() {
        server.close();
    }
}
