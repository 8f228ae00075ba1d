package io.switchboard.e2e.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw signaling protocol v1 connection over WebSocket (or WSS), keeping every message and the close code. */
final class SignalingSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;

    private SignalingSocket(HttpClient client, URI uri) {
        socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).join();
    }

    /** Connects to {@code baseUrl} ({@code http://} or {@code https://}) at {@code /ws}. */
    static SignalingSocket connect(HttpClient client, String baseUrl) {
        return new SignalingSocket(client, URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws"));
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    /** Joins {@code room} and returns the {@code joined} message. */
    JsonNode join(String room, String extraFields) {
        send("{\"type\":\"join\",\"room\":\"" + room + "\"" + extraFields + "}");
        return next("joined");
    }

    /** The next message of {@code type}, skipping others; fails after 10 seconds. */
    JsonNode next(String type) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (true) {
                JsonNode message = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError("no '" + type + "' message in 10 s");
                }
                if (type.equals(message.path("type").asText())) {
                    return message;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The WebSocket close code the server sent; fails after 10 seconds. */
    int awaitClose() {
        try {
            return closeCode.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close the WebSocket", e);
        }
    }

    /** Drops the TCP connection without a WebSocket close, as a failing network would. */
    void abortConnection() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        socket.abort();
    }

    /** Collects whole text messages. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException("not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
