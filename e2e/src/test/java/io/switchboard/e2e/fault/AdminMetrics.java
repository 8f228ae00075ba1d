package io.switchboard.e2e.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One scrape of the running jar's admin {@code /metrics} (Prometheus text), summed by metric name. */
record AdminMetrics(String text) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static AdminMetrics scrape(String adminUrl) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /metrics answered " + response.statusCode());
            }
            return new AdminMetrics(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot scrape " + adminUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of every sample of {@code name} (any labels) whose labels contain {@code labelPart}. */
    double sum(String name, String labelPart) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String sampleName = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            String labels = brace >= 0 && brace < space ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            if (sampleName.equals(name) && labels.contains(labelPart)) {
                total += Double.parseDouble(line.substring(space + 1));
            }
        }
        return total;
    }

    double sum(String name) {
        return sum(name, "");
    }

    /** Every sample of {@code name} with a non-zero value, one per line: where the packets went. */
    String nonZero(String name) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith(name) && !line.endsWith(" 0.0")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
