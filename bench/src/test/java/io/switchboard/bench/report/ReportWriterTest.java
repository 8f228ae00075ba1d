package io.switchboard.bench.report;

import io.switchboard.bench.Args;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {
    @TempDir
    Path dir;

    @Test
    void replacesOnlyTheGeneratedSectionAndKeepsTheHandWrittenNotes() throws Exception {
        Path results = Files.createDirectories(dir.resolve("results"));
        Files.writeString(results.resolve("stun.txt"), """
                bench=stun-binding server=coturn binding_per_s=100000 others_cpu_pct=40
                bench=stun-binding server=switchboard binding_per_s=120000 others_cpu_pct=3
                """);
        Files.writeString(results.resolve("machine.txt"), "cpu: test\n");
        Path doc = dir.resolve("BENCHMARKS.md");
        Files.writeString(doc, "# Benchmarks\n\nmethod notes\n\n" + ReportWriter.BEGIN + "\nold table\n"
                + ReportWriter.END + "\n\n## Notes\nprofiling notes\n");
        Path svg = dir.resolve("chart.svg");

        ReportWriter.write(new Args(List.of("--results", results.toString(), "--doc", doc.toString(),
                "--svg", svg.toString())));

        String written = Files.readString(doc);
        assertThat(written).contains("method notes", "profiling notes", "cpu: test")
                .contains("| Binding requests answered | 120,000/s | 100,000/s | 1.20 | **ahead** |")
                .contains("| 3 % / 40 % |")
                .doesNotContain("old table");
        assertThat(Files.readString(svg)).startsWith("<svg").contains("1.20");
    }
}
