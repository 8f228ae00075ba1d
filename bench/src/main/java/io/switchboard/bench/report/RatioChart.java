package io.switchboard.bench.report;

import java.util.List;
import java.util.Locale;

/** A horizontal bar chart (SVG) of Switchboard's advantage per compared figure, with the parity line at 1. */
final class RatioChart {
    private static final int ROW = 20;
    private static final int LABEL = 470;
    private static final int BARS = 420;
    private static final double MAX = 4.0;

    private RatioChart() {
    }

    static String svg(List<Comparison.Row> rows) {
        List<Comparison.Row> shown = rows.stream().filter(r -> !Double.isNaN(r.advantage())).toList();
        int height = 40 + ROW * shown.size() + 30;
        int width = LABEL + BARS + 60;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Switchboard's advantage over the "
                + "anchor (above 1 = ahead; bars end at 4)</text>\n");
        int y = 40;
        for (Comparison.Row row : shown) {
            double value = Math.min(MAX, row.advantage());
            int bar = (int) Math.round(BARS * value / MAX);
            String color = row.advantage() > 1.03 ? "#2e7d32" : row.advantage() >= 0.97 ? "#f9a825" : "#c62828";
            String label = row.scenario() + " · " + row.metric().title() + " (vs " + row.anchor() + ")";
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL - 8, y + 14, escape(label)));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                    LABEL, y + 3, Math.max(1, bar), ROW - 6, color));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LABEL + bar + 4, y + 14,
                    escape(Comparison.ratio(row.advantage()))));
            y += ROW;
        }
        int parity = LABEL + (int) Math.round(BARS / MAX);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"%d\" stroke=\"black\" "
                + "stroke-dasharray=\"4 3\"/>%n", parity, parity, y + 4));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">1</text>%n", parity,
                y + 18));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
