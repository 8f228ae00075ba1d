package io.switchboard.signaling.http;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The extra routes the application adds to the HTTP listener, by exact path and method, e.g.
 * {@code HttpRoutes.builder().get("/healthz", request -> RouteResponse.json(200, "{\"status\":\"ok\"}")).build()}.
 * The paths of the signaling server itself ({@code /ws}, {@code /api/...}, {@code /webjars/...}) cannot be taken.
 * A GET route also answers HEAD.
 */
public final class HttpRoutes {
    /** Paths the signaling server serves itself. */
    public static final Set<String> RESERVED = Set.of("/ws", "/api/signal", "/api/events", "/api/ice-servers");

    private final Map<String, Map<String, Route>> byPath;

    private HttpRoutes(Map<String, Map<String, Route>> byPath) {
        Map<String, Map<String, Route>> copy = new HashMap<>();
        byPath.forEach((path, methods) -> copy.put(path, Map.copyOf(methods)));
        this.byPath = Map.copyOf(copy);
    }

    /** No extra routes. */
    public static HttpRoutes empty() {
        return new HttpRoutes(Map.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether any route is registered for {@code path}. */
    public boolean hasPath(String path) {
        return byPath.containsKey(path);
    }

    /** The route for {@code method} on {@code path}; HEAD falls back to GET. */
    public Optional<Route> find(String method, String path) {
        Map<String, Route> methods = byPath.get(path);
        if (methods == null) {
            return Optional.empty();
        }
        Route route = methods.get(method);
        if (route == null && "HEAD".equals(method)) {
            route = methods.get("GET");
        }
        return Optional.ofNullable(route);
    }

    /** The methods registered for {@code path}, for an {@code Allow} header. */
    public List<String> methods(String path) {
        Map<String, Route> methods = byPath.get(path);
        return methods == null ? List.of() : methods.keySet().stream().sorted().toList();
    }

    /** Collects routes. */
    public static final class Builder {
        private final Map<String, Map<String, Route>> byPath = new HashMap<>();

        private Builder() {
        }

        public Builder get(String path, Route route) {
            return route("GET", path, route);
        }

        public Builder post(String path, Route route) {
            return route("POST", path, route);
        }

        /** Adds {@code route} for {@code method} on the exact {@code path}. */
        public Builder route(String method, String path, Route route) {
            if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
                throw new IllegalArgumentException("route path must start with '/' and have no query: " + path);
            }
            if (RESERVED.contains(path) || path.startsWith("/webjars/") || path.startsWith("/api/signal")
                    || path.startsWith("/api/events")) {
                throw new IllegalArgumentException("route path is served by the signaling server: " + path);
            }
            String m = method.toUpperCase(Locale.ROOT);
            Map<String, Route> methods = byPath.computeIfAbsent(path, p -> new HashMap<>());
            if (methods.putIfAbsent(m, route) != null) {
                throw new IllegalArgumentException("route " + m + " " + path + " is already registered");
            }
            return this;
        }

        public HttpRoutes build() {
            return new HttpRoutes(byPath);
        }
    }
}
