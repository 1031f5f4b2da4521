package org.tl4j.examples.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tl4j.core.advisor.ModelFamily;
import org.tl4j.core.compare.TransferTask;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.FromScratch;
import org.tl4j.core.strategy.LoraStrategy;
import org.tl4j.core.strategy.TransferStrategy;
import org.tl4j.core.train.TrainingConfig;
import org.tl4j.examples.tasks.DigitsTask;
import org.tl4j.examples.tasks.SpamTask;
import org.tl4j.examples.tasks.TextStrategies;
import org.tl4j.nlp.bert.PretrainedBert;
import org.tl4j.vision.backbone.FashionMnistBackbone;
import picocli.CommandLine.ParameterException;

/** The default tasks of {@code tl compare} and their settings. */
final class CompareTasks {

    /** Which task to run. */
    enum Kind {
        vision,
        text,
        all;

        List<Kind> kinds() {
            return this == all ? List.of(vision, text) : List.of(this);
        }
    }

    /** Everything one task's comparison needs. */
    record Setup(
            TransferTask task,
            PretrainedModel base,
            List<TransferStrategy> strategies,
            TrainingConfig training,
            Map<String, TrainingConfig> overrides,
            ModelFamily family) {

        Map<String, String> describe() {
            Map<String, String> d = new LinkedHashMap<>();
            String prefix = task.name() + ": ";
            d.put(
                    prefix + "pretrained model",
                    base.name() + ", features at " + base.featureVertex());
            d.put(prefix + "test set", task.test().getLabels(0).size(0) + " examples");
            d.put(prefix + "label budgets", task.labelBudgets().toString());
            d.put(prefix + "training", training.toString());
            overrides.forEach((name, c) -> d.put(prefix + "training of " + name, c.toString()));
            return d;
        }
    }

    /** LoRA on the query and value projections of every encoder block (PEFT's default). */
    static final LoraConfig TEXT_LORA = TextStrategies.LORA_CONFIG;

    private CompareTasks() {}

    static Setup setup(Kind kind, CompareCommand options) {
        return kind == Kind.vision ? vision(options) : text(options);
    }

    private static Setup vision(CompareCommand o) {
        Map<String, TransferStrategy> catalogue = new LinkedHashMap<>();
        catalogue.put(FromScratch.NAME, new FromScratch(3e-3));
        catalogue.put(
                FeatureExtraction.NAME, FeatureExtraction.builder().learningRate(3e-3).build());
        catalogue.put(FineTuning.NAME, FineTuning.builder().learningRate(3e-3).build());
        List<TransferStrategy> strategies = o.choose(catalogue);
        TransferTask task = new DigitsTask(o.budgets(List.of(10, 100, 500)), o.seed);
        return new Setup(
                task,
                FashionMnistBackbone.pretrained(),
                strategies,
                o.training(30, 10, 4, 32),
                Map.of(),
                ModelFamily.CNN);
    }

    private static Setup text(CompareCommand o) {
        Map<String, TransferStrategy> catalogue = new LinkedHashMap<>();
        catalogue.put(FeatureExtraction.NAME, TextStrategies.featureExtraction());
        catalogue.put(FineTuning.NAME, TextStrategies.fineTuning());
        catalogue.put(LoraStrategy.NAME, TextStrategies.lora());
        List<TransferStrategy> strategies = o.choose(catalogue);
        PretrainedBert bert = PretrainedBert.allMiniLmL6V2();
        int positions = bert.encoder().config().maxPositions();
        if (o.maxTokens < 3 || o.maxTokens > positions) {
            throw new ParameterException(
                    o.spec.commandLine(),
                    "--max-tokens must be in [3, "
                            + positions
                            + "] (the encoder's positions), got "
                            + o.maxTokens);
        }
        TransferTask task =
                new SpamTask(
                        o.budgets(List.of(16, 64, 256)),
                        bert.tokenizer(),
                        o.maxTokens,
                        o.quick ? 2 : 1);
        // Feature extraction trains a linear head on cached embeddings: epochs cost milliseconds.
        TrainingConfig training = o.training(6, 3, 2, 16);
        Map<String, TrainingConfig> overrides =
                o.epochs == null
                        ? Map.of(
                                FeatureExtraction.NAME,
                                training.toBuilder().maxEpochs(60).patience(8).build())
                        : Map.of();
        return new Setup(
                task,
                bert.pretrainedModel("all-MiniLM-L6-v2"),
                strategies,
                training,
                overrides,
                ModelFamily.TRANSFORMER);
    }
}
