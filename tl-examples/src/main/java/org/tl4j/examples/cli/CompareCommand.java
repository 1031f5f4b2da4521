package org.tl4j.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tl4j.core.advisor.AdvisorCheck;
import org.tl4j.core.advisor.ComputeBudget;
import org.tl4j.core.advisor.ModelFamily;
import org.tl4j.core.compare.Comparison;
import org.tl4j.core.compare.ComparisonTable;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.report.HtmlReport;
import org.tl4j.core.report.RunInfo;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.FromScratch;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.TransferStrategy;
import org.tl4j.core.train.FeatureCache;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;
import org.tl4j.examples.tasks.DigitsTask;
import org.tl4j.vision.backbone.FashionMnistBackbone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tl compare}: every strategy at every label budget, one table. */
@Command(name = "compare", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Compares training from scratch, feature extraction and fine-tuning of a"
                + " pretrained model at several label budgets, on real data, offline.",
            "Default task: the bundled CNN pretrained on Fashion-MNIST, transferred to MNIST"
                + " digits."})
final class CompareCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--labels", split = ",", paramLabel = "N",
            description = "Labelled training examples per class to compare at.")
    List<Integer> labels = new ArrayList<>(List.of(10, 100, 500));

    @Option(names = "--strategies", split = ",", paramLabel = "NAME",
            description = "Strategies to compare: from-scratch, feature-extraction, fine-tuning.")
    List<String> strategies =
            new ArrayList<>(List.of("from-scratch", "feature-extraction", "fine-tuning"));

    @Option(names = "--epochs", description = "Maximum epochs per run (early stopping may end"
            + " a run sooner).")
    int epochs = 30;

    @Option(names = "--patience", description = "Epochs without validation improvement before"
            + " stopping.")
    int patience = 4;

    @Option(names = "--batch-size", description = "Examples per gradient step.")
    int batchSize = 32;

    @Option(names = "--learning-rate", description = "Adam learning rate of new layers (and of"
            + " every layer when training from scratch).")
    double learningRate = 3e-3;

    @Option(names = "--seed", description = "Seed of data splits, initialisation and order.")
    long seed = 42;

    @Option(names = "--quick", description = "A short run: 10 and 100 labels per class, at"
            + " most 10 epochs.")
    boolean quick;

    @Option(names = {"-o", "--output"}, description = "Folder for comparison.md, .csv, .json.")
    Path output = Path.of("tl-out");

    @Option(names = "--cache", description = "Folder where computed features are kept between"
            + " runs.")
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "tl4j", "features");

    @Option(names = "--no-cache", description = "Keep no features on disk.")
    boolean noCache;

    @Override
    public Integer call() throws Exception {
        List<TransferStrategy> chosen = strategies();
        if (quick) {
            labels = List.of(10, 100);
            epochs = Math.min(epochs, 10);
        }
        TrainingConfig config = TrainingConfig.builder().maxEpochs(epochs).patience(patience)
                .batchSize(batchSize).seed(seed).build();
        ProgressListener progress = new ProgressListener();
        Trainer trainer = new Trainer(config)
                .withFeatureCache(noCache ? FeatureCache.inMemory() : FeatureCache.onDisk(cache))
                .withListener(progress);
        PretrainedModel base = FashionMnistBackbone.pretrained();
        DigitsTask task = new DigitsTask(labels, seed);
        Comparison comparison =
                new Comparison(base, chosen, HeadConfig.of(task.numClasses()), trainer);
        ComparisonTable table = comparison.run(task, (strategy, budget, run, runs) ->
                progress.label(String.format("[%d/%d] %s @ %d/class", run, runs, strategy,
                        budget)));
        table.writeTo(output);
        List<AdvisorCheck.Verdict> verdicts = AdvisorCheck.check(table, task.name(),
                ModelFamily.CNN, ComputeBudget.MEDIUM,
                FineTuning.pretrainedLayers(base).size(), task.numClasses());
        List<String> notes = verdicts.stream().map(AdvisorCheck.Verdict::describe).toList();
        Path report = new HtmlReport("tl compare: " + task.name(), table,
                RunInfo.current(runSettings(task, base, config)), notes).writeTo(output);
        System.out.println();
        System.out.println("Task: " + task.name() + " (pretrained " + base.name() + ", test set "
                + task.test().getLabels(0).size(0) + " images)");
        System.out.print(table.toMarkdown());
        notes.forEach(System.out::println);
        System.out.println("Written to " + output.toAbsolutePath().resolve("comparison.md")
                + " (also .csv and .json) and " + report.toAbsolutePath());
        return 0;
    }

    private static Map<String, String> runSettings(DigitsTask task, PretrainedModel base,
            TrainingConfig config) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("task", task.name());
        settings.put("pretrained model", base.name() + ", features at " + base.featureVertex());
        settings.put("test set", task.test().getLabels(0).size(0) + " images");
        settings.put("validation set", task.split(task.labelBudgets().get(0)).validation()
                .getLabels(0).size(0) + " images");
        settings.put("seed", Long.toString(config.seed()));
        settings.put("training", config.toString());
        return settings;
    }

    private List<TransferStrategy> strategies() {
        List<TransferStrategy> list = new ArrayList<>();
        for (String name : strategies) {
            list.add(switch (name) {
                case FromScratch.NAME -> new FromScratch(learningRate);
                case FeatureExtraction.NAME ->
                        FeatureExtraction.builder().learningRate(learningRate).build();
                case FineTuning.NAME -> FineTuning.builder().learningRate(learningRate).build();
                default -> throw new ParameterException(spec.commandLine(), "--strategies: unknown strategy '" + name
                                + "'; known: from-scratch, feature-extraction, fine-tuning");
            });
        }
        return list;
    }
}
