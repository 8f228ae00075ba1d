package io.switchboard.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A client of the HTTP fallback: an event stream from GET /api/events plus POST /api/signal. */
final class SseClient implements AutoCloseable {
    static final String ENDED = "\u0000ended";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final Stream<String> lines;
    private final Thread reader;
    final int status;
    final String contentType;
    final JsonNode sessionEvent;

    SseClient(URI base) {
        this.base = base;
        try {
            HttpResponse<Stream<String>> response = http.send(
                    HttpRequest.newBuilder(base.resolve("/api/events")).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            this.status = response.statusCode();
            this.contentType = response.headers().firstValue("Content-Type").orElse("");
            this.lines = response.body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot open the event stream", e);
        }
        reader = new Thread(this::read, "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
        sessionEvent = next("session");
    }

    private void read() {
        StringBuilder data = new StringBuilder();
        try {
            lines.forEach(line -> {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(data.toString());
                        data.setLength(0);
                    }
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
            });
        } catch (RuntimeException e) {
            // stream cancelled
        } finally {
            events.add(ENDED);
        }
    }

    String session() {
        return sessionEvent.path("session").asText();
    }

    /** Posts one protocol message with the session header; returns the HTTP status. */
    int post(String json) {
        return post(json, true);
    }

    int post(String json, boolean viaHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(viaHeader ? base.resolve("/api/signal")
                        : base.resolve("/api/signal?session=" + session()))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (viaHeader) {
            request.header("Switchboard-Session", session());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("POST failed", e);
        }
    }

    JsonNode next() {
        try {
            String event = events.poll(TestSocket.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                fail("no event within " + TestSocket.WAIT);
            }
            if (event.equals(ENDED)) {
                events.add(ENDED);
                fail("event stream ended");
            }
            return TestSocket.JSON.readTree(event);
        } catch (InterruptedException | IOException e) {
            throw new AssertionError(e);
        }
    }

    JsonNode next(String type) {
        JsonNode event = next();
        assertThat(event.path("type").asText()).as("type of %s", event).isEqualTo(type);
        return event;
    }

    /** Waits until the server ends the stream. */
    void awaitEnd() {
        try {
            while (true) {
                String event = events.poll(TestSocket.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (event == null) {
                    fail("stream did not end within " + TestSocket.WAIT);
                }
                if (event.equals(ENDED)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        lines.close();
    }
}
