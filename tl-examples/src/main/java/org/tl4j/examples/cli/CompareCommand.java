package org.tl4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.tl4j.core.advisor.AdvisorCheck;
import org.tl4j.core.advisor.ComputeBudget;
import org.tl4j.core.compare.Comparison;
import org.tl4j.core.compare.ComparisonRow;
import org.tl4j.core.compare.ComparisonTable;
import org.tl4j.core.report.HtmlReport;
import org.tl4j.core.report.RunInfo;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.TransferStrategy;
import org.tl4j.core.train.FeatureCache;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tl compare}: every strategy at every label budget of a task, one table. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Compares transfer strategies of a pretrained model at several label"
                    + " budgets, on real data, offline, and writes a table and an HTML report.",
            "vision: the bundled CNN pretrained on Fashion-MNIST, transferred to MNIST digits"
                    + " (from-scratch, feature-extraction, fine-tuning), and LoRA on the bundled"
                    + " ViT pretrained on Fashion-MNIST (vit-lora).",
            "text: all-MiniLM-L6-v2 transferred to ham-vs-spam e-mails (feature-extraction,"
                    + " fine-tuning, lora)."
        })
final class CompareCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--task",
            description = "Task: ${COMPLETION-CANDIDATES} (all: vision, then text).")
    CompareTasks.Kind task = CompareTasks.Kind.all;

    @Option(
            names = "--labels",
            split = ",",
            paramLabel = "N",
            description =
                    "Labelled training examples per class to compare at (default: vision"
                            + " 10,100,500; text 16,64,256; --quick: the two smallest).")
    List<Integer> labels;

    @Option(
            names = "--strategies",
            split = ",",
            paramLabel = "NAME",
            description = "Strategies" + " to compare (default: all of the task's).")
    List<String> strategies;

    @Option(
            names = "--epochs",
            description =
                    "Maximum epochs per run; early stopping may end a run sooner (default: vision"
                            + " 30, text 4; --quick: vision 10, text 3).")
    Integer epochs;

    @Option(
            names = "--patience",
            description =
                    "Epochs without validation improvement before"
                            + " stopping (default: vision 4, text 2).")
    Integer patience;

    @Option(
            names = "--batch-size",
            description = "Examples per step (default: vision 32, text" + " 16).")
    Integer batchSize;

    @Option(
            names = "--max-tokens",
            description = "Text only: cap on tokens per e-mail (default: 48; --quick: 32).")
    Integer maxTokens;

    @Option(names = "--seed", description = "Seed of data splits, initialisation and order.")
    long seed = 42;

    @Option(
            names = "--quick",
            description = "A short run: the two smallest budgets, fewer" + " epochs.")
    boolean quick;

    @Option(
            names = {"-o", "--output"},
            description = "Folder for the tables, report and plots.")
    Path output = Path.of("tl-out");

    @Option(
            names = "--cache",
            description = "Folder where computed features are kept between" + " runs.")
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "tl4j", "features");

    @Option(names = "--no-cache", description = "Keep no features on disk.")
    boolean noCache;

    /** Strategy names the tasks set up so far know, and how many tasks did not know a name. */
    private final Set<String> knownStrategies = new LinkedHashSet<>();

    private final Map<String, Integer> unknownToTasks = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        checkOptions();
        List<CompareTasks.Setup> setups = new ArrayList<>();
        for (CompareTasks.Kind kind : task.kinds()) {
            CompareTasks.Setup setup = CompareTasks.setup(kind, this);
            if (!setup.contenders().isEmpty()) {
                setups.add(setup);
            }
        }
        checkEveryStrategyKnown(task.kinds().size());
        List<ComparisonRow> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (CompareTasks.Setup setup : setups) {
            ComparisonTable table = run(setup);
            rows.addAll(table.rows());
            AdvisorCheck.check(
                            onBase(table, setup),
                            setup.task().name(),
                            setup.family(),
                            ComputeBudget.MEDIUM,
                            FineTuning.pretrainedLayers(setup.base()).size(),
                            setup.task().numClasses())
                    .forEach(v -> notes.add(setup.task().name() + ": " + v.describe()));
            settings.putAll(setup.describe());
        }
        ComparisonTable all = new ComparisonTable(rows);
        all.writeTo(output);
        Path report =
                new HtmlReport("tl compare", all, RunInfo.current(settings), notes).writeTo(output);
        System.out.println();
        System.out.print(all.toMarkdown());
        notes.forEach(System.out::println);
        System.out.println(
                "Written to "
                        + output.toAbsolutePath().resolve("comparison.md")
                        + " (also .csv and .json) and "
                        + report.toAbsolutePath());
        return 0;
    }

    /**
     * The rows of strategies on the setup's base model: the advisor chooses among strategies for
     * one model, so contenders on other bases take no part in its check.
     */
    private static ComparisonTable onBase(ComparisonTable table, CompareTasks.Setup setup) {
        Set<String> names =
                setup.strategies().stream().map(TransferStrategy::name).collect(Collectors.toSet());
        return new ComparisonTable(
                table.rows().stream().filter(r -> names.contains(r.strategy())).toList());
    }

    /** Usage errors fail here, before any data or model is loaded. */
    private void checkOptions() {
        if (labels != null && labels.stream().anyMatch(n -> n < 1)) {
            throw usage("--labels: every value must be at least 1, got " + labels);
        }
        atLeastOne("--epochs", epochs);
        atLeastOne("--patience", patience);
        atLeastOne("--batch-size", batchSize);
        atLeastOne("--max-tokens", maxTokens);
        checkFolder("--output", output);
        if (!noCache) {
            checkFolder("--cache", cache);
        }
    }

    private void atLeastOne(String option, Integer value) {
        if (value != null && value < 1) {
            throw usage(option + " must be at least 1, got " + value);
        }
    }

    /** A folder option must name a folder or a path where one can be made: no file on the way. */
    private void checkFolder(String option, Path folder) {
        for (Path p = folder.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw usage(
                        option
                                + ": cannot use "
                                + folder
                                + " as a folder: "
                                + p
                                + " is a file; choose another path");
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private ComparisonTable run(CompareTasks.Setup setup) {
        ProgressListener progress = new ProgressListener();
        Trainer trainer = trainerFor(setup.training(), progress);
        Comparison comparison =
                Comparison.of(
                        setup.contenders(), HeadConfig.of(setup.task().numClasses()), trainer);
        for (Map.Entry<String, TrainingConfig> o : setup.overrides().entrySet()) {
            if (comparison.names().contains(o.getKey())) {
                comparison = comparison.withTrainer(o.getKey(), trainerFor(o.getValue(), progress));
            }
        }
        return comparison.run(
                setup.task(),
                (strategy, budget, run, runs) ->
                        progress.label(
                                String.format(
                                        "%s [%d/%d] %s @ %d/class",
                                        setup.task().name(), run, runs, strategy, budget)));
    }

    private Trainer trainerFor(TrainingConfig config, ProgressListener progress) {
        return new Trainer(config)
                .withFeatureCache(noCache ? FeatureCache.inMemory() : FeatureCache.onDisk(cache))
                .withListener(progress);
    }

    /**
     * The strategies named by --strategies (all when none is named), from the task's catalogue.
     *
     * @param known every name the task accepts: the catalogue's and those of its contenders on
     *     other base models
     */
    List<TransferStrategy> choose(Map<String, TransferStrategy> catalogue, Set<String> known) {
        if (strategies == null) {
            return List.copyOf(catalogue.values());
        }
        List<TransferStrategy> chosen = new ArrayList<>();
        knownStrategies.addAll(known);
        for (String name : strategies) {
            TransferStrategy s = catalogue.get(name);
            if (!known.contains(name)) {
                if (task != CompareTasks.Kind.all) {
                    throw unknownStrategy(name, known);
                }
                // With --task all a strategy may belong to one task only.
                unknownToTasks.merge(name, 1, Integer::sum);
            }
            if (s != null) {
                chosen.add(s);
            }
        }
        return chosen;
    }

    /** With several tasks, a name in --strategies must be known to at least one of them. */
    private void checkEveryStrategyKnown(int tasks) {
        unknownToTasks.forEach(
                (name, count) -> {
                    if (count == tasks) {
                        throw unknownStrategy(name, knownStrategies);
                    }
                });
    }

    private ParameterException unknownStrategy(String name, Set<String> known) {
        return usage(
                "--strategies: unknown strategy '"
                        + name
                        + "' for "
                        + (task == CompareTasks.Kind.all ? "any task" : "this task")
                        + "; known: "
                        + known);
    }

    /** Whether --strategies names {@code name}, or names nothing (all strategies run). */
    boolean chosen(String name) {
        return strategies == null || strategies.contains(name);
    }

    /** The training settings: explicit options, else the task's defaults. */
    TrainingConfig training(
            int defaultEpochs, int quickEpochs, int defaultPatience, int defaultBatch) {
        int e = epochs != null ? epochs : quick ? quickEpochs : defaultEpochs;
        return TrainingConfig.builder()
                .maxEpochs(e)
                .patience(patience != null ? patience : defaultPatience)
                .batchSize(batchSize != null ? batchSize : defaultBatch)
                .seed(seed)
                .build();
    }

    /** The cap on tokens per e-mail: the option, else 48 (32 when quick). */
    int maxTokens() {
        return maxTokens != null ? maxTokens : quick ? 32 : 48;
    }

    /**
     * The label budgets: explicit option, else the task's defaults (the two smallest when quick).
     */
    List<Integer> budgets(List<Integer> defaults) {
        if (labels != null) {
            return labels;
        }
        return quick ? defaults.subList(0, 2) : defaults;
    }
}
