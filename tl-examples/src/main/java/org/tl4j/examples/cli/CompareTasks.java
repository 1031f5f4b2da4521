package org.tl4j.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tl4j.core.advisor.ModelFamily;
import org.tl4j.core.compare.Comparison;
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
import org.tl4j.vision.vit.VisionTransformer;
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

    /**
     * Everything one task's comparison needs: strategies on the task's base model, and contenders
     * that start from other base models (their own rows, e.g. LoRA on the ViT).
     */
    record Setup(
            TransferTask task,
            PretrainedModel base,
            List<TransferStrategy> strategies,
            List<Comparison.Contender> otherBases,
            TrainingConfig training,
            Map<String, TrainingConfig> overrides,
            ModelFamily family) {

        /** The strategies on the base, then the contenders on other bases. */
        List<Comparison.Contender> contenders() {
            List<Comparison.Contender> all = new ArrayList<>();
            strategies.forEach(s -> all.add(Comparison.Contender.of(s, base)));
            all.addAll(otherBases);
            return all;
        }

        Map<String, String> describe() {
            Map<String, String> d = new LinkedHashMap<>();
            String prefix = task.name() + ": ";
            d.put(
                    prefix + "pretrained model",
                    base.name() + ", features at " + base.featureVertex());
            otherBases.forEach(
                    c ->
                            d.put(
                                    prefix + "pretrained model of " + c.name(),
                                    c.base().name() + ", features at " + c.base().featureVertex()));
            d.put(prefix + "test set", task.test().getLabels(0).size(0) + " examples");
            d.put(prefix + "label budgets", task.labelBudgets().toString());
            d.put(prefix + "training", training.toString());
            overrides.forEach((name, c) -> d.put(prefix + "training of " + name, c.toString()));
            return d;
        }
    }

    /** LoRA on the query and value projections of every encoder block (PEFT's default). */
    static final LoraConfig TEXT_LORA = TextStrategies.LORA_CONFIG;

    /** Row name of LoRA on the shipped Fashion-MNIST ViT in the vision comparison. */
    static final String VIT_LORA = "vit-lora";

    /** LoRA on the ViT's query and value projections, as for text. */
    static final LoraConfig VISION_LORA =
            LoraConfig.builder().rank(8).alpha(16).targets(VisionTransformer.LORA_TARGETS).build();

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
        Set<String> known = new LinkedHashSet<>(catalogue.keySet());
        known.add(VIT_LORA);
        List<TransferStrategy> strategies = o.choose(catalogue, known);
        List<Comparison.Contender> otherBases = new ArrayList<>();
        if (o.chosen(VIT_LORA)) {
            otherBases.add(
                    new Comparison.Contender(
                            VIT_LORA,
                            new LoraStrategy(VISION_LORA, 3e-3),
                            VisionTransformer.pretrained()));
        }
        TransferTask task = new DigitsTask(o.budgets(List.of(10, 100, 500)), o.seed);
        return new Setup(
                task,
                FashionMnistBackbone.pretrained(),
                strategies,
                otherBases,
                o.training(30, 10, 4, 32),
                Map.of(),
                ModelFamily.CNN);
    }

    private static Setup text(CompareCommand o) {
        Map<String, TransferStrategy> catalogue = new LinkedHashMap<>();
        catalogue.put(FeatureExtraction.NAME, TextStrategies.featureExtraction());
        catalogue.put(FineTuning.NAME, TextStrategies.fineTuning());
        catalogue.put(LoraStrategy.NAME, TextStrategies.lora());
        List<TransferStrategy> strategies = o.choose(catalogue, catalogue.keySet());
        PretrainedBert bert = PretrainedBert.allMiniLmL6V2();
        int positions = bert.encoder().config().maxPositions();
        if (o.maxTokens() < 3 || o.maxTokens() > positions) {
            throw new ParameterException(
                    o.spec.commandLine(),
                    "--max-tokens must be in [3, "
                            + positions
                            + "] (the encoder's positions), got "
                            + o.maxTokens());
        }
        TransferTask task =
                new SpamTask(
                        o.budgets(List.of(16, 64, 256)),
                        bert.tokenizer(),
                        o.maxTokens(),
                        o.quick ? 2 : 1);
        // Fine-tuning and LoRA: at most 4 epochs, the top of the range Devlin et al. (2019)
        // recommend for fine-tuning BERT. Feature extraction trains a linear head on cached
        // embeddings: its epochs cost milliseconds, so it gets many more.
        TrainingConfig training = o.training(4, 3, 2, 16);
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
                List.of(),
                training,
                overrides,
                ModelFamily.TRANSFORMER);
    }
}
