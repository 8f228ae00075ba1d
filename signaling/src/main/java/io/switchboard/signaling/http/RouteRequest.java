package io.switchboard.signaling.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as an extra route sees it.
 *
 * @param method  the method, upper case ({@code GET})
 * @param path    the decoded path without the query ({@code /healthz})
 * @param query   the decoded query parameters
 * @param headers the header values by lower-case name
 * @param body    the request body, empty for none
 */
public record RouteRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers,
                           byte[] body) {

    public RouteRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** The first value of query parameter {@code name}. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
