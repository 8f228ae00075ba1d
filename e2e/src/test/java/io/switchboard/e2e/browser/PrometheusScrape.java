package io.switchboard.e2e.browser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One scrape of the admin listener's {@code /metrics} (Prometheus text format). */
record PrometheusScrape(List<Sample> samples) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One line: {@code name{labels} value}. */
    record Sample(String name, String labels, double value) {
    }

    static PrometheusScrape of(String adminUrl) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /metrics answered " + response.statusCode());
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot scrape " + adminUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space).trim();
            String labels = brace >= 0 && brace < space ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
            } catch (NumberFormatException ignored) {
                // not a sample line
            }
        }
        return new PrometheusScrape(List.copyOf(samples));
    }

    /** Sum over every series of {@code name} whose labels contain all of {@code labelParts}. */
    double sum(String name, String... labelParts) {
        double total = 0;
        for (Sample sample : samples) {
            if (!sample.name().equals(name)) {
                continue;
            }
            boolean matches = true;
            for (String part : labelParts) {
                matches &= sample.labels().contains(part);
            }
            if (matches) {
                total += sample.value();
            }
        }
        return total;
    }

    /** Names of every metric starting with {@code prefix}, for failure messages. */
    List<String> namesStartingWith(String prefix) {
        return samples.stream().map(s -> s.name() + s.labels() + " " + s.value())
                .filter(s -> s.startsWith(prefix)).toList();
    }
}
