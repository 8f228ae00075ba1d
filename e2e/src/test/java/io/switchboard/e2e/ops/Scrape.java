package io.switchboard.e2e.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One scrape of {@code /metrics} in the Prometheus text format. */
record Scrape(String text, List<Sample> samples) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One sample line: {@code name{labels} value}. */
    record Sample(String name, String labels, double value) {
    }

    static Scrape of(String adminUrl) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /metrics answered " + response.statusCode());
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            int brace = line.indexOf('{');
            boolean labelled = brace >= 0 && brace < space;
            String name = labelled ? line.substring(0, brace) : line.substring(0, space);
            String labels = labelled ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
            } catch (NumberFormatException ignored) {
                // not a sample
            }
        }
        return new Scrape(text, List.copyOf(samples));
    }

    /** The sum of every series of {@code name} whose labels contain each of {@code labels} (e.g. {@code code="401"}). */
    double value(String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (Sample sample : samples) {
            if (!sample.name().equals(name)) {
                continue;
            }
            boolean match = true;
            for (String label : labels) {
                match &= sample.labels().contains(label);
            }
            if (match) {
                sum += sample.value();
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no series " + name + " with " + List.of(labels) + " in /metrics");
        }
        return sum;
    }

    /** The label values of every series of {@code name}, for checking that label sets stay small. */
    List<String> series(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).map(Sample::labels).toList();
    }
}
