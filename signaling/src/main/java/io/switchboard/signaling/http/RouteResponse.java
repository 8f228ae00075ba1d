package io.switchboard.signaling.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The response of an extra route.
 *
 * @param status      the HTTP status code
 * @param contentType the {@code Content-Type}
 * @param body        the body (not sent for HEAD requests)
 * @param headers     further headers, e.g. {@code Cache-Control}
 */
public record RouteResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public RouteResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100-599, got " + status);
        }
        headers = Map.copyOf(headers);
    }

    /** A JSON response ({@code application/json}) that must not be cached. */
    public static RouteResponse json(int status, String json) {
        return new RouteResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8),
                Map.of("Cache-Control", "no-store"));
    }

    /** A plain-text response ({@code text/plain; charset=utf-8}) that must not be cached. */
    public static RouteResponse text(int status, String text) {
        return new RouteResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8),
                Map.of("Cache-Control", "no-store"));
    }
}
