package org.tl4j.core.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tl4j.core.io.AtomicFiles;

/** The result of a comparison: one row per (strategy, label budget), as Markdown, CSV and JSON. */
public record ComparisonTable(List<ComparisonRow> rows) {

    private static final String[] HEADER = {
        "task",
        "strategy",
        "labels/class",
        "accuracy",
        "macro-F1",
        "trainable params",
        "frozen params",
        "optimizer state (bytes)",
        "training time (s)",
        "peak memory (MiB)",
        "epochs"
    };

    /** Copies the rows. */
    public ComparisonTable {
        rows = List.copyOf(rows);
    }

    /** A GitHub-flavoured Markdown table. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        sb.append("|").append("---|".repeat(HEADER.length)).append('\n');
        for (ComparisonRow r : rows) {
            sb.append("| ").append(String.join(" | ", cells(r))).append(" |\n");
        }
        return sb.toString();
    }

    /** Comma-separated values with a header line. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", HEADER)).append('\n');
        for (ComparisonRow r : rows) {
            List<String> cells =
                    cells(r).stream()
                            .map(c -> c.replace(",", "").replace("\"", "\"\""))
                            .map(c -> c.contains(" ") ? "\"" + c + "\"" : c)
                            .toList();
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    /** The column names, in order. */
    public static List<String> header() {
        return List.of(HEADER);
    }

    /** A row's cells as shown in every format, in {@link #header()} order. */
    public static List<String> cells(ComparisonRow r) {
        return List.of(
                r.task(),
                r.strategy(),
                Integer.toString(r.labelsPerClass()),
                fmt("%.4f", r.accuracy()),
                fmt("%.4f", r.macroF1()),
                fmt("%,d", r.trainableParameters()),
                fmt("%,d", r.frozenParameters()),
                fmt("%,d", r.optimizerStateBytes()),
                fmt("%.1f", r.trainingSeconds()),
                fmt("%.0f", r.peakMemoryMegabytes()),
                Integer.toString(r.epochs()));
    }

    private static String fmt(String format, Object value) {
        return String.format(Locale.ROOT, format, value);
    }

    /** The best row for a budget by accuracy, if any row has that budget. */
    public java.util.Optional<ComparisonRow> best(String task, int labelsPerClass) {
        return rows.stream()
                .filter(r -> r.task().equals(task) && r.labelsPerClass() == labelsPerClass)
                .max(java.util.Comparator.comparingDouble(ComparisonRow::accuracy));
    }

    /**
     * Writes {@code comparison.md}, {@code comparison.csv} and {@code comparison.json} (rows with
     * learning curves) into {@code directory}, each atomically.
     */
    public void writeTo(Path directory) throws IOException {
        AtomicFiles.write(
                directory.resolve("comparison.md"),
                out -> out.write(toMarkdown().getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(
                directory.resolve("comparison.csv"),
                out -> out.write(toCsv().getBytes(StandardCharsets.UTF_8)));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(directory.resolve("comparison.json"), out -> json.writeValue(out, this));
    }

    /** Reads a table written by {@link #writeTo}. */
    public static ComparisonTable readJson(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), ComparisonTable.class);
    }
}
