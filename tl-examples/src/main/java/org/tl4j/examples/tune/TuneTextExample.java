package org.tl4j.examples.tune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.tl4j.core.compare.TransferTask;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.LoraStrategy;
import org.tl4j.core.tune.CandidateResult;
import org.tl4j.core.tune.SearchMethod;
import org.tl4j.core.tune.TransferCandidate;
import org.tl4j.core.tune.TransferScore;
import org.tl4j.core.tune.TransferSearch;
import org.tl4j.core.tune.TuningData;
import org.tl4j.core.tune.TuningListener;
import org.tl4j.core.tune.TuningResults;
import org.tl4j.examples.tasks.SpamTask;
import org.tl4j.nlp.bert.PretrainedBert;

/**
 * Tunes LoRA rank and learning rate of all-MiniLM-L6-v2 on ham-vs-spam e-mails with a random search
 * ({@link TextTuning#lora}: rank 4, 8 or 16, learning rate 1e-3 to 1e-2), then trains tl4j's
 * default LoRA configuration (rank 8, alpha 16, query and value, 3e-3) and the best candidate once
 * more and compares both on the validation and the held-out test e-mails.
 *
 * <p>Arguments (all optional): {@code CANDIDATES MAX_MINUTES LABELS_PER_CLASS EPOCHS MAX_TOKENS
 * OUTPUT_DIR}; defaults 8, 10, 32, 3, 48, {@code tl-out/tune-text-example}.
 */
public final class TuneTextExample {

    private static final long SEED = 42;

    private TuneTextExample() {}

    /** Runs the search and the comparison; see the class documentation for the arguments. */
    public static void main(String[] args) throws IOException {
        int candidates = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int labels = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int maxTokens = args.length > 4 ? Integer.parseInt(args[4]) : 48;
        Path output = Path.of(args.length > 5 ? args[5] : "tl-out/tune-text-example");

        // The task at the label budget and the pretrained encoder, loaded once.
        PretrainedBert bert = PretrainedBert.allMiniLmL6V2();
        SpamTask task = new SpamTask(List.of(labels), bert.tokenizer(), maxTokens);
        TransferTask.Split split = task.split(labels);
        PretrainedModel base = bert.pretrainedModel("all-MiniLM-L6-v2");

        // The search: random, over LoRA rank and learning rate, scored by validation accuracy.
        long start = System.nanoTime();
        TuningResults results =
                TransferSearch.builder(TextTuning.lora(task.numClasses(), epochs, SEED))
                        .method(SearchMethod.RANDOM)
                        .score(TransferScore.ACCURACY)
                        .maxCandidates(candidates)
                        .maxTime(Duration.ofMillis(Math.round(minutes * 60_000)))
                        .seed(SEED)
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
        TransferCandidate defaults =
                TextTuning.defaults(LoraStrategy.NAME, task.numClasses(), epochs, SEED);
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
