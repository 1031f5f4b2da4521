package org.tl4j.core.lora;

import java.util.List;
import java.util.Locale;

/**
 * Trainable versus total parameters of an adapted graph, overall and per layer.
 *
 * @param trainableParams parameters that an optimizer updates
 * @param totalParams all parameters of the graph
 * @param layers one row per layer with parameters, in topological order
 */
public record LoraReport(long trainableParams, long totalParams, List<Row> layers) {

    /**
     * One layer of the report.
     *
     * @param name the layer (vertex) name
     * @param role "lora", "kept" (fully trainable) or "frozen"
     * @param trainable trainable parameters of the layer
     * @param total all parameters of the layer
     */
    public record Row(String name, String role, long trainable, long total) {}

    /** Compact constructor: copies the rows. */
    public LoraReport {
        layers = List.copyOf(layers);
    }

    /** Trainable parameters as a percentage of all parameters, 0 for an empty graph. */
    public double trainablePercent() {
        return totalParams == 0 ? 0.0 : 100.0 * trainableParams / totalParams;
    }

    /** A fixed-width table: one line per layer, then the totals. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-28s %-7s %14s %14s%n";
        sb.append(String.format(Locale.ROOT, fmt, "layer", "role", "trainable", "total"));
        for (Row r : layers) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            fmt,
                            r.name(),
                            r.role(),
                            String.format(Locale.ROOT, "%,d", r.trainable()),
                            String.format(Locale.ROOT, "%,d", r.total())));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "trainable params: %,d || all params: %,d || trainable%%: %.4f",
                        trainableParams,
                        totalParams,
                        trainablePercent()));
        return sb.toString();
    }
}
