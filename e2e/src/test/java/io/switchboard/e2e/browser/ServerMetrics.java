package io.switchboard.e2e.browser;

import io.switchboard.e2e.SwitchboardProcess;

/** What the tests read from the server's Prometheus metrics on the admin listener. */
record ServerMetrics(double allocationsStarted, double allocationsHeld, double packetsRelayed) {
    static ServerMetrics scrape(SwitchboardProcess server) {
        PrometheusScrape scrape = PrometheusScrape.of(server.adminUrl());
        return new ServerMetrics(
                scrape.sum("switchboard_turn_allocations_started_total"),
                scrape.sum("switchboard_turn_allocations"),
                scrape.sum("switchboard_turn_relayed_packets_total"));
    }
}
