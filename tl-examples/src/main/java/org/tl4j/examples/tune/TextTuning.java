package org.tl4j.examples.tune;

import java.util.List;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.LoraStrategy;
import org.tl4j.core.train.TrainingConfig;
import org.tl4j.core.tune.CommonSpace;
import org.tl4j.core.tune.FeatureExtractionSpace;
import org.tl4j.core.tune.FineTuningSpace;
import org.tl4j.core.tune.LogUniformSpace;
import org.tl4j.core.tune.LoraSpace;
import org.tl4j.core.tune.TransferCandidate;
import org.tl4j.core.tune.TransferSpace;
import org.tl4j.examples.tasks.TextStrategies;

/**
 * The search spaces for the default text task (all-MiniLM-L6-v2 transferred to ham-vs-spam e-mails)
 * and tl4j's default configuration of each strategy there, the one {@code tl compare --task text}
 * trains.
 *
 * <p>Each candidate trains the encoder (fine-tuning, LoRA) or a head on its cached embeddings
 * (feature extraction) in batches of {@value #BATCH_SIZE} with a linear head; fine-tuning and LoRA
 * candidates train for a fixed number of epochs at most (the caller's), since one MiniLM epoch is
 * what a search on two cores can afford a few of.
 */
public final class TextTuning {

    /** Examples per step of every text candidate. */
    public static final int BATCH_SIZE = 16;

    /** Epochs without validation improvement before a fine-tuning or LoRA candidate stops. */
    public static final int PATIENCE = 2;

    /** Query and value projections of every encoder block (PEFT's default targets). */
    public static final List<String> QUERY_VALUE =
            List.of("encoder\\.\\d+\\.attention\\.(query|value)");

    /** Every attention projection (query, key, value, output) of every encoder block. */
    public static final List<String> ATTENTION =
            List.of("encoder\\.\\d+\\.attention\\.(query|key|value|output)");

    /** tl4j's default LoRA adapters on the text task: rank 8, alpha 16, query and value. */
    public static final LoraConfig DEFAULT_LORA = TextStrategies.LORA_CONFIG;

    /** Learning rate of the default LoRA configuration's adapters and head. */
    public static final double DEFAULT_LORA_LEARNING_RATE = 3e-3;

    private TextTuning() {}

    /** A linear head, batches of {@value #BATCH_SIZE}, at most {@code maxEpochs} epochs. */
    public static CommonSpace common(int numClasses, int maxEpochs, long seed) {
        return CommonSpace.builder(numClasses)
                .batchSize(new FixedValue<>(BATCH_SIZE))
                .maxEpochs(new FixedValue<>(maxEpochs))
                .patience(PATIENCE)
                .seed(seed)
                .build();
    }

    /**
     * LoRA: rank 4, 8 or 16 and learning rate log-uniform in [1e-3, 1e-2], on the query and value
     * projections with alpha 16, plus {@link #common}.
     */
    public static LoraSpace lora(int numClasses, int maxEpochs, long seed) {
        return LoraSpace.builder(common(numClasses, maxEpochs, seed), QUERY_VALUE)
                .rank(new DiscreteParameterSpace<>(4, 8, 16))
                .learningRate(new LogUniformSpace(1e-3, 1e-2))
                .alpha(new FixedValue<>(DEFAULT_LORA.alpha()))
                .build();
    }

    /**
     * Fine-tuning: head learning rate log-uniform in [3e-4, 3e-3] and pretrained-layer ratio
     * log-uniform in [0.01, 0.3], every layer trainable, plus {@link #common}.
     */
    public static FineTuningSpace fineTuning(int numClasses, int maxEpochs, long seed) {
        return FineTuningSpace.builder(common(numClasses, maxEpochs, seed))
                .learningRate(new LogUniformSpace(3e-4, 3e-3))
                .pretrainedLearningRateRatio(new LogUniformSpace(0.01, 0.3))
                .build();
    }

    /**
     * Feature extraction: head learning rate log-uniform in [1e-3, 3e-2], a linear head or one
     * hidden layer of 64, dropout in [0, 0.3], at most 60 epochs with patience 8 (epochs on cached
     * embeddings take milliseconds), batches of {@value #BATCH_SIZE}.
     */
    public static FeatureExtractionSpace featureExtraction(int numClasses, long seed) {
        CommonSpace common =
                CommonSpace.builder(numClasses)
                        .hiddenSizes(new DiscreteParameterSpace<>(List.of(), List.of(64)))
                        .dropout(new ContinuousParameterSpace(0, 0.3))
                        .batchSize(new FixedValue<>(BATCH_SIZE))
                        .maxEpochs(new FixedValue<>(60))
                        .patience(8)
                        .seed(seed)
                        .build();
        return FeatureExtractionSpace.builder(common)
                .learningRate(new LogUniformSpace(1e-3, 3e-2))
                .build();
    }

    /**
     * The space for a strategy name.
     *
     * @param maxEpochs epoch cap of fine-tuning and LoRA candidates, at least 1
     * @throws IllegalArgumentException listing the known names if the strategy is unknown
     */
    public static TransferSpace space(String strategy, int numClasses, int maxEpochs, long seed) {
        return switch (strategy) {
            case LoraStrategy.NAME -> lora(numClasses, maxEpochs, seed);
            case FineTuning.NAME -> fineTuning(numClasses, maxEpochs, seed);
            case FeatureExtraction.NAME -> featureExtraction(numClasses, seed);
            default -> throw unknown(strategy);
        };
    }

    /**
     * tl4j's default configuration of a strategy on the text task (as {@code tl compare --task
     * text} trains it): feature extraction at 3e-3 for at most 60 epochs; fine-tuning at 1e-3 with
     * ratio 0.05; LoRA {@link #DEFAULT_LORA} (its A initialised from {@code seed}) at {@value
     * #DEFAULT_LORA_LEARNING_RATE}; a linear head and batches of {@value #BATCH_SIZE}.
     *
     * @param maxEpochs epoch cap of fine-tuning and LoRA
     * @throws IllegalArgumentException listing the known names if the strategy is unknown
     */
    public static TransferCandidate defaults(
            String strategy, int numClasses, int maxEpochs, long seed) {
        TrainingConfig training =
                TrainingConfig.builder()
                        .maxEpochs(maxEpochs)
                        .patience(PATIENCE)
                        .batchSize(BATCH_SIZE)
                        .seed(seed)
                        .build();
        HeadConfig head = HeadConfig.of(numClasses);
        return switch (strategy) {
            case LoraStrategy.NAME ->
                    new TransferCandidate(
                            new LoraStrategy(
                                    DEFAULT_LORA.toBuilder().seed(seed).build(),
                                    DEFAULT_LORA_LEARNING_RATE),
                            head,
                            training);
            case FineTuning.NAME ->
                    new TransferCandidate(TextStrategies.fineTuning(), head, training);
            case FeatureExtraction.NAME ->
                    new TransferCandidate(
                            TextStrategies.featureExtraction(),
                            head,
                            training.toBuilder().maxEpochs(60).patience(8).build());
            default -> throw unknown(strategy);
        };
    }

    /**
     * Checks that {@code strategy} names a strategy searchable on the text task.
     *
     * @throws IllegalArgumentException listing the known names if it does not
     */
    public static void requireKnown(String strategy) {
        switch (strategy) {
            case LoraStrategy.NAME, FineTuning.NAME, FeatureExtraction.NAME -> {}
            default -> throw unknown(strategy);
        }
    }

    private static IllegalArgumentException unknown(String strategy) {
        return new IllegalArgumentException(
                "--strategy: unknown '"
                        + strategy
                        + "'; known: feature-extraction, fine-tuning, lora");
    }
}
