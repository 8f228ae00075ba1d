package io.switchboard.signaling.attack;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.signaling.SignalingConfig;
import io.switchboard.signaling.SignalingServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;

/** A signaling server on 127.0.0.1 and a free port for one attack test, with its meters. */
final class AttackServer implements AutoCloseable {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SignalingServer server;

    AttackServer(UnaryOperator<SignalingConfig.Builder> customize) {
        SignalingConfig config = customize.apply(SignalingConfig.builder()
                .bindAddress(InetAddress.getLoopbackAddress()).port(0)).build();
        server = SignalingServer.builder(config).meterRegistry(registry).threads(2).start();
    }

    InetSocketAddress address() {
        return server.address();
    }

    /** A member of a room: its socket and the {@code joined} message it got. */
    record Member(RawWebSocket socket, JsonNode joined) implements AutoCloseable {
        String id() {
            return joined.path("id").asText();
        }

        String resume() {
            return joined.path("resume").asText();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    Member join(String room, String name) throws IOException {
        RawWebSocket socket = RawWebSocket.connect(address());
        socket.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"" + name + "\"}");
        return new Member(socket, socket.next("joined"));
    }

    double errors(String code) {
        Counter counter = registry.find("switchboard.signaling.errors").tag("code", code).counter();
        return counter == null ? 0 : counter.count();
    }

    double gauge(String name) {
        Gauge gauge = registry.find(name).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    double connections() {
        return registry.find("switchboard.signaling.connections").gauges().stream().mapToDouble(Gauge::value).sum();
    }

    @Override
    public void close() {
        server.close();
    }
}
