package org.tl4j.examples.tune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.tl4j.core.compare.TransferTask;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.tune.CandidateResult;
import org.tl4j.core.tune.SearchMethod;
import org.tl4j.core.tune.TransferCandidate;
import org.tl4j.core.tune.TransferScore;
import org.tl4j.core.tune.TransferSearch;
import org.tl4j.core.tune.TransferSpace;
import org.tl4j.core.tune.TuningData;
import org.tl4j.core.tune.TuningListener;
import org.tl4j.core.tune.TuningResults;

/**
 * What both tuning examples do once their task and base are loaded: a random search scored by
 * validation accuracy, its table, then a default configuration and the best candidate trained once
 * more and compared on validation and held-out test data ({@code default-vs-best.md}).
 */
final class SearchAgainstDefault {

    private SearchAgainstDefault() {}

    /**
     * Runs the search and the comparison, printing both and writing them under {@code output}.
     *
     * @param candidates the most candidates to train
     * @param minutes the most time the search may take
     * @param defaults the configuration the best candidate is compared with
     */
    static void run(
            TransferSpace space,
            int candidates,
            double minutes,
            long seed,
            PretrainedModel base,
            TransferTask task,
            TransferTask.Split split,
            TransferCandidate defaults,
            Path output)
            throws IOException {
        // The search: random, scored by validation accuracy.
        long start = System.nanoTime();
        TuningResults results =
                TransferSearch.builder(space)
                        .method(SearchMethod.RANDOM)
                        .score(TransferScore.ACCURACY)
                        .maxCandidates(candidates)
                        .maxTime(Duration.ofMillis(Math.round(minutes * 60_000)))
                        .seed(seed)
                        .listener(new PrintingListener())
                        .build()
                        .run(base, TuningData.of(split));
        double searchSeconds = (System.nanoTime() - start) / 1e9;
        results.writeTo(output);
        System.out.print(results.toMarkdown());
        System.out.printf(
                Locale.ROOT,
                "search: %d candidates in %.0f s%n",
                results.candidates().size(),
                searchSeconds);

        // Default configuration against the best candidate, both trained once more.
        String comparison = compare(defaults, results, base, split, task);
        Files.writeString(output.resolve("default-vs-best.md"), comparison);
        System.out.print(comparison);
    }

    private static String compare(
            TransferCandidate defaults,
            TuningResults results,
            PretrainedModel base,
            TransferTask.Split split,
            TransferTask task) {
        StringBuilder b =
                new StringBuilder(
                        "\n| configuration | settings | validation acc |"
                                + " test acc | test macro-F1 | epochs | seconds |\n"
                                + "|---|---|---|---|---|---|---|\n");
        b.append(row("default", defaults, Evaluation.of(defaults, base, split, task)));
        results.best()
                .ifPresent(
                        best -> {
                            TransferCandidate c = best.settings().orElseThrow().build();
                            b.append(
                                    row(
                                            "best (#" + best.index() + ")",
                                            c,
                                            Evaluation.of(c, base, split, task)));
                        });
        return b.toString();
    }

    private static String row(String name, TransferCandidate c, Evaluation e) {
        return String.format(
                Locale.ROOT,
                "| %s | %s | %.4f | %.4f | %.4f | %d | %.1f |%n",
                name,
                c.describe().replace("|", "\\|"),
                e.validation().accuracy(),
                e.test().accuracy(),
                e.test().macroF1(),
                e.epochs(),
                e.seconds());
    }

    /** Prints one line per candidate. */
    private static final class PrintingListener implements TuningListener {
        @Override
        public void onCandidateStart(int index, TransferCandidate candidate) {
            System.out.println("candidate " + index + ": " + candidate.describe());
        }

        @Override
        public void onCandidateEnd(CandidateResult r) {
            System.out.printf(
                    Locale.ROOT,
                    "candidate %d: %s in %.1f s%n",
                    r.index(),
                    r.completed()
                            ? String.format(Locale.ROOT, "accuracy %.4f", r.score().getAsDouble())
                            : r.failure().orElseThrow(),
                    r.seconds());
        }
    }
}
