package org.tl4j.core.tune;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tl4j.core.io.AtomicFiles;

/**
 * The outcome of a search: every candidate, failed ones included, in the order they were generated,
 * and what they were scored by.
 *
 * @param score what the candidates were scored by
 * @param candidates one result per candidate, by index
 */
public record TuningResults(TransferScore score, List<CandidateResult> candidates) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the list and sorts it by candidate index. */
    public TuningResults {
        Objects.requireNonNull(score, "score");
        candidates =
                candidates.stream()
                        .sorted(Comparator.comparingInt(CandidateResult::index))
                        .toList();
    }

    /** The candidates that completed. */
    public List<CandidateResult> completed() {
        return candidates.stream().filter(CandidateResult::completed).toList();
    }

    /** The candidates that failed. */
    public List<CandidateResult> failed() {
        return candidates.stream().filter(c -> !c.completed()).toList();
    }

    /** The completed candidate with the best score (the earliest on a tie), if any. */
    public Optional<CandidateResult> best() {
        return completed().stream().min(byScore());
    }

    /** The completed candidate with the worst score, if any. */
    public Optional<CandidateResult> worst() {
        return completed().stream().max(byScore());
    }

    /** Orders completed candidates best first. */
    private Comparator<CandidateResult> byScore() {
        Comparator<CandidateResult> ascending =
                Comparator.comparingDouble(c -> c.score().getAsDouble());
        return score.minimize() ? ascending : ascending.reversed();
    }

    /** A Markdown table: candidate, settings, score, time, trainable parameters, status. */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("| # | strategy | settings | ")
                .append(score.label())
                .append(" | seconds | trainable params | epochs | status |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (CandidateResult c : candidates) {
            // A pipe inside a cell (a LoRA target pattern such as "(query|value)") is escaped.
            List<String> cells = cells(c).stream().map(cell -> cell.replace("|", "\\|")).toList();
            b.append("| ").append(String.join(" | ", cells).replace("\n", " ")).append(" |\n");
        }
        return b.toString();
    }

    /** The same table as CSV with a header line. */
    public String toCsv() {
        StringBuilder b =
                new StringBuilder(
                        "candidate,strategy,settings,"
                                + score.label()
                                + ",seconds,trainable_parameters,epochs,status\n");
        for (CandidateResult c : candidates) {
            b.append(String.join(",", cells(c).stream().map(TuningResults::csv).toList()))
                    .append('\n');
        }
        return b.toString();
    }

    private static List<String> cells(CandidateResult c) {
        String strategy = c.settings().map(CandidateSettings::strategy).orElse("?");
        String settings = c.settings().map(CandidateSettings::describe).orElse("(none)");
        String value =
                c.score().isPresent()
                        ? String.format(Locale.ROOT, "%.4f", c.score().getAsDouble())
                        : "";
        String trainable =
                c.trainableParameters().isPresent()
                        ? Long.toString(c.trainableParameters().getAsLong())
                        : "";
        String status = c.completed() ? "completed" : "failed: " + c.failure().orElse("");
        return List.of(
                Integer.toString(c.index()),
                strategy,
                settings,
                value,
                String.format(Locale.ROOT, "%.1f", c.seconds()),
                trainable,
                Integer.toString(c.epochs()),
                status.replace("|", "/"));
    }

    private static String csv(String cell) {
        boolean quote = cell.contains(",") || cell.contains("\"") || cell.contains("\n");
        return quote ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }

    /**
     * The best candidate as JSON: score name and value, index, and its settings as {@link
     * TransferCandidate#settings()} names them (readable by {@link #readBest(Path)}).
     *
     * @throws IllegalStateException if no candidate completed
     */
    public String bestJson() throws IOException {
        CandidateResult best =
                best().orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no candidate completed ("
                                                        + candidates.size()
                                                        + " failed): nothing is best"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("score", score.label());
        json.put("value", best.score().getAsDouble());
        json.put("candidate", best.index());
        json.put("settings", best.settings().orElseThrow().values());
        return JSON.writeValueAsString(json);
    }

    /** Reads the settings of a best-configuration file written by {@link #writeTo(Path)}. */
    public static TransferCandidate readBest(Path file) throws IOException {
        Map<String, Object> json = JSON.readValue(file.toFile(), new TypeReference<>() {});
        if (!(json.get("settings") instanceof Map<?, ?> settings)) {
            throw new IOException(
                    file + " has no 'settings' object; is it a best.json written" + " by tl tune?");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) settings;
        return TransferCandidate.fromSettings(typed);
    }

    /**
     * Writes {@code tuning.csv}, {@code tuning.md} and (when a candidate completed) {@code
     * best.json} into {@code directory}, atomically each.
     */
    public void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        write(directory.resolve("tuning.csv"), toCsv());
        write(directory.resolve("tuning.md"), toMarkdown());
        if (best().isPresent()) {
            write(directory.resolve("best.json"), bestJson());
        }
    }

    private static void write(Path file, String text) throws IOException {
        AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
