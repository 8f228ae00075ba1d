package io.switchboard.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ComparisonTest {
    @Test
    void ratioAboveOneMeansSwitchboardAheadForRatesAndForLatencies() {
        Comparison comparison = Comparison.of(List.of(
                Measurement.parse("bench=stun-binding server=coturn binding_per_s=100000 rtt_p50_us=40"),
                Measurement.parse("bench=stun-binding server=switchboard binding_per_s=150000 rtt_p50_us=80")));

        Comparison.Row rate = row(comparison, "binding_per_s");
        Comparison.Row latency = row(comparison, "rtt_p50_us");

        assertThat(rate.advantage()).isEqualTo(1.5);
        assertThat(rate.verdict()).contains("ahead");
        assertThat(latency.advantage()).isEqualTo(0.5);
        assertThat(latency.verdict()).isEqualTo("behind");
    }

    @Test
    void figuresWithinThreePercentAreEvenNotAhead() {
        Comparison comparison = Comparison.of(List.of(
                Measurement.parse("bench=stun-binding server=coturn binding_per_s=100000"),
                Measurement.parse("bench=stun-binding server=switchboard binding_per_s=102000")));

        assertThat(row(comparison, "binding_per_s").verdict()).isEqualTo("even (±3 %)");
    }

    @Test
    void lossBelowOneHundredthOfAPercentCountsAsNoLossOnBothSides() {
        Comparison comparison = Comparison.of(List.of(
                Measurement.parse("bench=turn-relay label=x server=coturn loss_pct=0.000"),
                Measurement.parse("bench=turn-relay label=x server=switchboard loss_pct=0.004")));

        assertThat(row(comparison, "loss_pct").advantage()).isEqualTo(1.0);
    }

    @Test
    void comparesOnlyLinesOfTheSameLoadAndTakesTheMedianOfRepeats() {
        Comparison comparison = Comparison.of(List.of(
                Measurement.parse("bench=turn-relay label=a server=coturn relayed_pps=100"),
                Measurement.parse("bench=turn-relay label=b server=coturn relayed_pps=1"),
                Measurement.parse("bench=turn-relay label=a server=switchboard relayed_pps=90"),
                Measurement.parse("bench=turn-relay label=a server=switchboard relayed_pps=300"),
                Measurement.parse("bench=turn-relay label=a server=switchboard relayed_pps=200")));

        Comparison.Row a = comparison.rows().stream()
                .filter(r -> r.scenario().equals("turn-relay a") && r.metric().key().equals("relayed_pps"))
                .findFirst().orElseThrow();
        assertThat(a.switchboard()).isEqualTo(200);
        assertThat(a.advantage()).isEqualTo(2.0);
    }

    @Test
    void zeroOnTheAnchorsSideOfALowerIsBetterFigureIsNotADivisionByZero() {
        Comparison comparison = Comparison.of(List.of(
                Measurement.parse("bench=signaling-latency server=peerjs lost=0"),
                Measurement.parse("bench=signaling-latency server=switchboard lost=3")));

        assertThat(row(comparison, "lost").advantage()).isZero();
        assertThat(row(comparison, "lost").verdict()).isEqualTo("behind");
    }

    private static Comparison.Row row(Comparison comparison, String key) {
        return comparison.rows().stream().filter(r -> r.metric().key().equals(key)).findFirst().orElseThrow();
    }
}
