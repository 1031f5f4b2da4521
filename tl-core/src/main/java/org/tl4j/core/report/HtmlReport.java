package org.tl4j.core.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.tl4j.core.compare.ComparisonRow;
import org.tl4j.core.compare.ComparisonTable;
import org.tl4j.core.io.AtomicFiles;

/**
 * A self-contained HTML report of a comparison: the table, plots (accuracy and macro-F1 against
 * label budget, trainable parameters on a log scale, training time, peak memory, learning curves)
 * embedded as PNG images, and the run's machine, backend, seed and data sizes. The same PNGs are
 * written beside the HTML file.
 */
public final class HtmlReport {

    private static final String STYLE =
            String.join(
                    "",
                    "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}",
                    "table{border-collapse:collapse}",
                    "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}",
                    "th{background:#f3f3f3}td:nth-child(-n+2){text-align:left}",
                    "img{max-width:100%}");

    private final String title;
    private final ComparisonTable table;
    private final RunInfo info;
    private final List<String> notes;

    /**
     * @param title heading of the report
     * @param table the comparison's rows
     * @param info machine and run settings
     * @param notes paragraphs shown under the table (e.g. the advisor's check); may be empty
     */
    public HtmlReport(String title, ComparisonTable table, RunInfo info, List<String> notes) {
        this.title = Objects.requireNonNull(title, "title");
        this.table = Objects.requireNonNull(table, "table");
        this.info = Objects.requireNonNull(info, "info");
        this.notes = List.copyOf(notes);
    }

    /** The plots by file name, in report order. */
    Map<String, Chart<?, ?>> charts() {
        List<ComparisonRow> rows = table.rows();
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        charts.put(
                "accuracy.png", Charts.metricByBudget(rows, "accuracy", ComparisonRow::accuracy));
        charts.put("macro-f1.png", Charts.metricByBudget(rows, "macro-F1", ComparisonRow::macroF1));
        charts.put(
                "trainable-parameters.png",
                Charts.resourceBars(
                        rows,
                        "Trainable parameters (log scale)",
                        "parameters",
                        true,
                        r -> Math.max(1, r.trainableParameters())));
        charts.put(
                "training-time.png",
                Charts.resourceBars(
                        rows, "Training time", "seconds", false, ComparisonRow::trainingSeconds));
        charts.put(
                "peak-memory.png",
                Charts.resourceBars(
                        rows,
                        "Peak memory (JVM heap + ND4J native)",
                        "MiB",
                        false,
                        ComparisonRow::peakMemoryMegabytes));
        for (int budget : rows.stream().map(ComparisonRow::labelsPerClass).distinct().toList()) {
            charts.put("learning-curves-" + budget + ".png", Charts.learningCurves(rows, budget));
        }
        return charts;
    }

    /**
     * Writes {@code report.html} and the PNG plots into {@code directory}, each atomically.
     *
     * @return the HTML file
     */
    public Path writeTo(Path directory) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, byte[]> images = new LinkedHashMap<>();
        for (Map.Entry<String, Chart<?, ?>> e : charts().entrySet()) {
            byte[] png = BitmapEncoder.getBitmapBytes(e.getValue(), BitmapEncoder.BitmapFormat.PNG);
            images.put(e.getKey(), png);
            AtomicFiles.write(directory.resolve(e.getKey()), out -> out.write(png));
        }
        Path html = directory.resolve("report.html");
        byte[] page = html(images).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(html, out -> out.write(page));
        return html;
    }

    private String html(Map<String, byte[]> images) {
        StringBuilder sb =
                new StringBuilder(
                                "<!DOCTYPE html>\n<html lang=\"en\"><head>"
                                        + "<meta charset=\"utf-8\"><title>")
                        .append(escape(title))
                        .append("</title><style>")
                        .append(STYLE)
                        .append("</style></head><body>\n");
        sb.append("<h1>").append(escape(title)).append("</h1>\n");
        sb.append("<h2>Results</h2>\n").append(tableHtml());
        for (String note : notes) {
            sb.append("<p>").append(escape(note)).append("</p>\n");
        }
        sb.append("<h2>Plots</h2>\n");
        for (Map.Entry<String, byte[]> e : images.entrySet()) {
            sb.append("<figure><img alt=\"")
                    .append(escape(e.getKey()))
                    .append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(e.getValue()))
                    .append("\"><figcaption>")
                    .append(escape(e.getKey()))
                    .append("</figcaption></figure>\n");
        }
        sb.append("<h2>Run</h2>\n<table>\n");
        for (Map.Entry<String, String> e : info.entries().entrySet()) {
            sb.append("<tr><th>")
                    .append(escape(e.getKey()))
                    .append("</th><td>")
                    .append(escape(e.getValue()))
                    .append("</td></tr>\n");
        }
        return sb.append("</table>\n</body></html>\n").toString();
    }

    private String tableHtml() {
        StringBuilder sb = new StringBuilder("<table>\n<tr>");
        for (String h : ComparisonTable.header()) {
            sb.append("<th>").append(escape(h)).append("</th>");
        }
        sb.append("</tr>\n");
        for (ComparisonRow r : table.rows()) {
            List<String> cells = new ArrayList<>(ComparisonTable.cells(r));
            sb.append("<tr>");
            for (String c : cells) {
                sb.append("<td>").append(escape(c)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
