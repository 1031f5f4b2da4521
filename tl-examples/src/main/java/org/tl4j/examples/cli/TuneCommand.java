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
import org.tl4j.examples.tasks.SpamTask;
import org.tl4j.examples.tune.Evaluation;
import org.tl4j.examples.tune.TextTuning;
import org.tl4j.examples.tune.VisionTuning;
import org.tl4j.nlp.bert.PretrainedBert;
import org.tl4j.vision.backbone.FashionMnistBackbone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tl tune}: hyperparameter search for a transfer strategy with Arbiter. */
@Command(
        name = "tune",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Searches a transfer strategy's settings (learning rates, unfrozen layers, LoRA rank,"
                    + " head, batch size, epochs) with Arbiter and writes tuning.csv, tuning.md and"
                    + " best.json.",
            "vision: the bundled CNN pretrained on Fashion-MNIST, transferred to MNIST digits"
                    + " (feature-extraction, fine-tuning).",
            "text: all-MiniLM-L6-v2 transferred to ham-vs-spam e-mails (feature-extraction,"
                    + " fine-tuning, lora)."
        })
final class TuneCommand implements Callable<Integer> {

    /** Default label budget of the vision task, per class. */
    static final int VISION_LABELS = 100;

    /** Default label budget of the text task, per class. */
    static final int TEXT_LABELS = 32;

    /** Default epoch cap of text fine-tuning and LoRA candidates. */
    static final int TEXT_EPOCHS = 3;

    /** Default cap on tokens per e-mail. */
    static final int TEXT_TOKENS = 48;

    /** The default tasks. */
    enum Task {
        vision,
        text
    }

    @Spec CommandSpec spec;

    @Option(names = "--task", description = "Task: ${COMPLETION-CANDIDATES}.")
    Task task = Task.vision;

    @Option(
            names = "--strategy",
            paramLabel = "NAME",
            description = "feature-extraction, fine-tuning or lora (text only).")
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

    @Option(
            names = "--labels",
            description =
                    "Labelled training examples per class (default: vision "
                            + VISION_LABELS
                            + ", text "
                            + TEXT_LABELS
                            + ").")
    Integer labels;

    @Option(
            names = "--epochs",
            description =
                    "Text only: most epochs a fine-tuning or LoRA candidate trains (default "
                            + TEXT_EPOCHS
                            + ").")
    Integer epochs;

    @Option(
            names = "--max-tokens",
            description = "Text only: cap on tokens per e-mail (default " + TEXT_TOKENS + ").")
    Integer maxTokens;

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
                    "Instead of searching, train the configuration in a best.json on the same"
                            + " task (--task, --labels, --max-tokens as in the search) and report"
                            + " validation and test scores.")
    Path rerun;

    @Option(
            names = {"-o", "--output"},
            description = "Folder for the results.")
    Path output = Path.of("tl-out", "tune");

    /** A task at the chosen label budget, with its pretrained model. */
    private record Setup(TransferTask task, TransferTask.Split split, PretrainedModel base) {}

    @Override
    public Integer call() throws Exception {
        // Option names and values first, so that a typo fails before data loads.
        SearchMethod method = SearchMethod.of(search);
        TransferScore scoreFunction = TransferScore.of(score);
        checkOptions();
        Setup setup = task == Task.vision ? vision() : text();
        if (rerun != null) {
            return rerun(setup);
        }
        TransferSpace space =
                task == Task.vision
                        ? VisionTuning.space(
                                strategy, setup.base(), setup.task().numClasses(), seed)
                        : TextTuning.space(strategy, setup.task().numClasses(), textEpochs(), seed);
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
        TuningResults results = builder.build().run(setup.base(), TuningData.of(setup.split()));
        progress.close();
        results.writeTo(output);
        System.out.println();
        System.out.print(results.toMarkdown());
        report(results);
        return results.best().isPresent() ? 0 : Tl.FAILED;
    }

    private void checkOptions() {
        requireAtLeast("--labels", labels, 1);
        requireAtLeast("--epochs", epochs, 1);
        requireAtLeast("--max-tokens", maxTokens, 3);
        requireAtLeast("--candidates", candidates, 1);
        if (!(maxMinutes > 0)) {
            throw usage("--max-minutes must be more than 0, got " + maxMinutes);
        }
        if (task == Task.vision && (epochs != null || maxTokens != null)) {
            throw usage(
                    "--epochs and --max-tokens apply to --task text only; the vision space"
                            + " searches the epoch cap itself");
        }
        if (rerun == null) {
            if (task == Task.vision) {
                VisionTuning.requireAvailable(strategy);
            } else {
                TextTuning.requireKnown(strategy);
            }
        }
    }

    private void requireAtLeast(String option, Integer value, int min) {
        if (value != null && value < min) {
            throw usage(option + " must be at least " + min + ", got " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private Setup vision() {
        int perClass = labels != null ? labels : VISION_LABELS;
        DigitsTask digits = new DigitsTask(List.of(perClass), seed);
        return new Setup(digits, digits.split(perClass), FashionMnistBackbone.pretrained());
    }

    /** MiniLM is loaded once; every candidate clones it. */
    private Setup text() {
        int perClass = labels != null ? labels : TEXT_LABELS;
        PretrainedBert bert = PretrainedBert.allMiniLmL6V2();
        SpamTask spam =
                new SpamTask(
                        List.of(perClass),
                        bert.tokenizer(),
                        maxTokens != null ? maxTokens : TEXT_TOKENS);
        return new Setup(spam, spam.split(perClass), bert.pretrainedModel("all-MiniLM-L6-v2"));
    }

    private int textEpochs() {
        return epochs != null ? epochs : TEXT_EPOCHS;
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
                                            + " tl tune --task %s --rerun %s%n",
                                        best.index(),
                                        results.score().label(),
                                        best.score().getAsDouble(),
                                        best.settings().orElseThrow().describe(),
                                        output.toAbsolutePath(),
                                        task,
                                        output.resolve("best.json")),
                        () -> System.out.println("No candidate completed; see the reasons above."));
    }

    private int rerun(Setup setup) throws Exception {
        TransferCandidate candidate = TuningResults.readBest(rerun);
        Evaluation e = Evaluation.of(candidate, setup.base(), setup.split(), setup.task());
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
