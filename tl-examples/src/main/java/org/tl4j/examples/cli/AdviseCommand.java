package org.tl4j.examples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.tl4j.core.advisor.AdvisorInputs;
import org.tl4j.core.advisor.ComputeBudget;
import org.tl4j.core.advisor.ModelFamily;
import org.tl4j.core.advisor.StrategyAdvisor;
import org.tl4j.core.compare.TransferTask;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;
import org.tl4j.examples.tasks.DigitsTask;
import org.tl4j.examples.tasks.SpamTask;
import org.tl4j.nlp.bert.PretrainedBert;
import org.tl4j.vision.backbone.FashionMnistBackbone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tl advise}: measures what the advisor needs on a task and prints its advice. */
@Command(
        name = "advise",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Recommends feature extraction, fine-tuning or LoRA for a task and says" + " why.",
            "Measures the domain distance as the accuracy of a linear probe on the"
                    + " frozen pretrained features (a linear head trained on them)."
        })
final class AdviseCommand implements Callable<Integer> {

    @Option(names = "--task", description = "Task: vision or text (all is not supported here).")
    CompareTasks.Kind task = CompareTasks.Kind.vision;

    @Option(
            names = "--labels",
            split = ",",
            paramLabel = "N",
            description =
                    "Labelled training examples per class to advise for (default: vision 10,500;"
                            + " text 16,256).")
    List<Integer> labels;

    @Option(names = "--budget", description = "Compute budget: ${COMPLETION-CANDIDATES}.")
    ComputeBudget budget = ComputeBudget.MEDIUM;

    @Option(names = "--seed", description = "Seed of the data split and the probe's training.")
    long seed = 42;

    @Override
    public Integer call() {
        if (task == CompareTasks.Kind.all) {
            throw new IllegalArgumentException(
                    "--task all is not supported by advise: choose vision or text");
        }
        boolean text = task == CompareTasks.Kind.text;
        PretrainedModel base;
        TransferTask transferTask;
        if (text) {
            PretrainedBert bert = PretrainedBert.allMiniLmL6V2();
            base = bert.pretrainedModel("all-MiniLM-L6-v2");
            transferTask = new SpamTask(budgets(List.of(16, 256)), bert.tokenizer(), 64);
        } else {
            base = FashionMnistBackbone.pretrained();
            transferTask = new DigitsTask(budgets(List.of(10, 500)), seed);
        }
        ModelFamily family = text ? ModelFamily.TRANSFORMER : ModelFamily.CNN;
        int layers = FineTuning.pretrainedLayers(base).size();
        StrategyAdvisor advisor = new StrategyAdvisor();
        System.out.printf(
                "Task: %s; model: %s (%s, %d pretrained layers); budget %s%n",
                transferTask.name(), base.name(), family, layers, budget);
        for (int budgetLabels : transferTask.labelBudgets()) {
            double probe = linearProbe(base, transferTask, budgetLabels);
            AdvisorInputs inputs =
                    new AdvisorInputs(
                            budgetLabels, transferTask.numClasses(), probe, budget, family, layers);
            System.out.println();
            System.out.println("At " + budgetLabels + " labels per class:");
            System.out.print(advisor.recommend(inputs).explain());
        }
        return 0;
    }

    private List<Integer> budgets(List<Integer> defaults) {
        return labels != null ? labels : defaults;
    }

    private double linearProbe(PretrainedModel base, TransferTask task, int labelsPerClass) {
        AdaptedModel probe =
                FeatureExtraction.builder()
                        .learningRate(3e-3)
                        .build()
                        .adapt(base, HeadConfig.of(task.numClasses()), seed);
        TransferTask.Split split = task.split(labelsPerClass);
        new Trainer(TrainingConfig.builder().seed(seed).maxEpochs(60).patience(8).build())
                .fit(probe, split.train(), split.validation());
        return Trainer.evaluate(probe.graph(), split.validation(), 256).accuracy();
    }
}
