package org.tl4j.examples.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
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
import org.tl4j.examples.tasks.DigitsTask;
import org.tl4j.examples.tune.VisionTuning;
import org.tl4j.vision.backbone.FashionMnistBackbone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tl tune}: hyperparameter search for a transfer strategy with Arbiter. */
@Command(
        name = "tune",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Searches a transfer strategy's settings (learning rates, unfrozen layers,"
                    + " head, batch size, epochs) with Arbiter and writes tuning.csv, tuning.md and"
                    + " best.json.",
            "Default task: the bundled CNN pretrained on Fashion-MNIST, transferred to MNIST"
                    + " digits."
        })
final class TuneCommand implements Callable<Integer> {

    @Option(
            names = "--strategy",
            paramLabel = "NAME",
            description = "feature-extraction, fine-tuning or lora.")
    String strategy = "fine-tuning";

    @Option(names = "--search", paramLabel = "METHOD", description = "random, grid or genetic.")
    String search = "random";

    @Option(names = "--candidates", description = "Candidates to run (completed or failed).")
    int candidates = 10;

    @Option(names = "--max-minutes", description = "Wall time of the whole search.")
    double maxMinutes = 10;

    @Option(
            names = "--score",
            description =
                    "What to maximise on the validation split:"
                            + " accuracy, macro-f1, or loss (minimised).")
    String score = "accuracy";

    @Option(names = "--labels", description = "Labelled training examples per class.")
    int labels = 100;

    @Option(names = "--seed", description = "Seed of the split, the candidates and training.")
    long seed = 42;

    @Option(
            names = "--save-models",
            description = "Save each candidate's model in" + " OUTPUT/models.")
    boolean saveModels;

    @Option(
            names = "--rerun",
            paramLabel = "BEST_JSON",
            description =
                    "Instead of searching, train the configuration in a best.json and report"
                            + " validation and test scores.")
    Path rerun;

    @Option(
            names = {"-o", "--output"},
            description = "Folder for the results.")
    Path output = Path.of("tl-out", "tune");

    @Override
    public Integer call() throws Exception {
        // Option names first, so that a typo or --strategy lora fails before data loads.
        SearchMethod method = SearchMethod.of(search);
        TransferScore scoreFunction = TransferScore.of(score);
        if (rerun == null) {
            VisionTuning.requireAvailable(strategy);
        }
        DigitsTask task = new DigitsTask(List.of(labels), seed);
        TransferTask.Split split = task.split(labels);
        if (rerun != null) {
            return rerun(task, split);
        }
        PretrainedModel base = FashionMnistBackbone.pretrained();
        TransferSpace space = VisionTuning.space(strategy, base, task.numClasses(), seed);
        TuningProgress progress = new TuningProgress(scoreFunction);
        TransferSearch.Builder builder =
                TransferSearch.builder(space)
                        .method(method)
                        .score(scoreFunction)
                        .maxCandidates(candidates)
                        .maxTime(Duration.ofMillis(Math.round(maxMinutes * 60_000)))
                        .seed(seed)
                        .listener(progress);
        if (saveModels) {
            builder.modelDirectory(output.resolve("models"));
        }
        TuningResults results = builder.build().run(base, TuningData.of(split));
        progress.close();
        results.writeTo(output);
        System.out.println();
        System.out.print(results.toMarkdown());
        report(results);
        return results.best().isPresent() ? 0 : Tl.FAILED;
    }

    private void report(TuningResults results) {
        System.out.printf(
                Locale.ROOT,
                "%d completed, %d failed.%n",
                results.completed().size(),
                results.failed().size());
        results.best()
                .ifPresentOrElse(
                        best ->
                                System.out.printf(
                                        Locale.ROOT,
                                        "Best: candidate %d, validation %s %.4f: %s%nWritten to %s"
                                            + " (tuning.csv, tuning.md, best.json); re-run it with:"
                                            + " tl tune --rerun %s%n",
                                        best.index(),
                                        results.score().label(),
                                        best.score().getAsDouble(),
                                        best.settings().orElseThrow().describe(),
                                        output.toAbsolutePath(),
                                        output.resolve("best.json")),
                        () -> System.out.println("No candidate completed; see the reasons above."));
    }

    private int rerun(DigitsTask task, TransferTask.Split split) throws Exception {
        TransferCandidate candidate = TuningResults.readBest(rerun);
        VisionTuning.Evaluation e =
                VisionTuning.evaluate(candidate, FashionMnistBackbone.pretrained(), split, task);
        System.out.printf(
                Locale.ROOT,
                "%s%nvalidation accuracy %.4f macro-F1 %.4f | test"
                        + " accuracy %.4f macro-F1 %.4f | %d epochs, %.1f s%n",
                candidate.describe(),
                e.validation().accuracy(),
                e.validation().macroF1(),
                e.test().accuracy(),
                e.test().macroF1(),
                e.epochs(),
                e.seconds());
        return 0;
    }

    /** Shows a progress bar over candidates with the best score so far. */
    static final class TuningProgress implements TuningListener {
        private final TransferScore score;
        private ProgressBar bar;
        private CandidateResult best;

        TuningProgress(TransferScore score) {
            this.score = score;
        }

        @Override
        public void onSearchStart(int maxCandidates) {
            bar =
                    new ProgressBarBuilder()
                            .setTaskName("tune")
                            .setInitialMax(maxCandidates)
                            .setStyle(ProgressBarStyle.ASCII)
                            .setUpdateIntervalMillis(500)
                            .setConsumer(new ConsoleProgressBarConsumer(System.err))
                            .build();
        }

        @Override
        public void onCandidateStart(int index, TransferCandidate candidate) {
            String top =
                    best == null
                            ? "none yet"
                            : String.format(
                                    Locale.ROOT,
                                    "#%d %.4f",
                                    best.index(),
                                    best.score().getAsDouble());
            bar.setExtraMessage(" #" + index + " " + candidate.describe() + " | best " + top);
        }

        @Override
        public void onCandidateEnd(CandidateResult result) {
            if (result.completed() && (best == null || better(result, best))) {
                best = result;
            }
            bar.step();
        }

        private boolean better(CandidateResult a, CandidateResult b) {
            double x = a.score().getAsDouble();
            double y = b.score().getAsDouble();
            return score.minimize() ? x < y : x > y;
        }

        void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
