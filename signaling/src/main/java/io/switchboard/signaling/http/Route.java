package io.switchboard.signaling.http;

/**
 * A handler for one extra HTTP path, e.g. {@code /healthz}. Runs on a network thread: it must be quick and must not
 * block. An exception becomes a 500 response.
 */
@FunctionalInterface
public interface Route {
    RouteResponse handle(RouteRequest request);
}
