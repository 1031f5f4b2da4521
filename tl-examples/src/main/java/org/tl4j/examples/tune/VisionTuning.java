package org.tl4j.examples.tune;

import java.util.List;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.LoraStrategy;
import org.tl4j.core.train.TrainingConfig;
import org.tl4j.core.tune.CommonSpace;
import org.tl4j.core.tune.FeatureExtractionSpace;
import org.tl4j.core.tune.FineTuningSpace;
import org.tl4j.core.tune.LogUniformSpace;
import org.tl4j.core.tune.TransferCandidate;
import org.tl4j.core.tune.TransferSpace;

/**
 * The search spaces for the default vision task (the Fashion-MNIST CNN transferred to MNIST digits)
 * and tl4j's default configuration of each strategy there.
 */
public final class VisionTuning {

    private VisionTuning() {}

    /**
     * Head and training: a linear head or one hidden layer of 64 or 128, dropout in [0, 0.5],
     * batches of 16, 32 or 64, at most 5 or 10 epochs with patience 3.
     */
    public static CommonSpace common(int numClasses, long seed) {
        return CommonSpace.builder(numClasses)
                .hiddenSizes(new DiscreteParameterSpace<>(List.of(), List.of(64), List.of(128)))
                .dropout(new ContinuousParameterSpace(0, 0.5))
                .batchSize(new DiscreteParameterSpace<>(16, 32, 64))
                .maxEpochs(new DiscreteParameterSpace<>(5, 10))
                .patience(3)
                .seed(seed)
                .build();
    }

    /**
     * Fine-tuning: head learning rate 3e-4 to 1e-2 and pretrained-layer ratio 0.01 to 1 (both
     * log-uniform), top 1 to {@code pretrainedLayers} layers unfrozen, plus {@link #common}.
     */
    public static FineTuningSpace fineTuning(int numClasses, int pretrainedLayers, long seed) {
        return FineTuningSpace.builder(common(numClasses, seed))
                .learningRate(new LogUniformSpace(3e-4, 1e-2))
                .pretrainedLearningRateRatio(new LogUniformSpace(0.01, 1))
                .unfrozenLayers(new IntegerParameterSpace(1, pretrainedLayers))
                .build();
    }

    /** Feature extraction: head learning rate 3e-4 to 3e-2, log-uniform, plus {@link #common}. */
    public static FeatureExtractionSpace featureExtraction(int numClasses, long seed) {
        return FeatureExtractionSpace.builder(common(numClasses, seed))
                .learningRate(new LogUniformSpace(3e-4, 3e-2))
                .build();
    }

    /**
     * Checks that {@code strategy} can be searched on the vision task.
     *
     * @throws UnsupportedOperationException for {@code lora}: LoRA adapts dense projections, and
     *     the backbone transfers from its convolution features, below which it has none
     * @throws IllegalArgumentException listing the known names for any other unknown name
     */
    public static void requireAvailable(String strategy) {
        switch (strategy) {
            case FineTuning.NAME, FeatureExtraction.NAME -> {}
            case LoraStrategy.NAME ->
                    throw new UnsupportedOperationException(
                            "--strategy lora: LoRA adapts dense projections, and the vision"
                                    + " backbone has none below its transfer point (pool2, conv"
                                    + " features); tune LoRA on the text task (--task text) or"
                                    + " use --strategy fine-tuning or feature-extraction");
            default ->
                    throw new IllegalArgumentException(
                            "--strategy: unknown '"
                                    + strategy
                                    + "'; known: feature-extraction, fine-tuning, lora");
        }
    }

    /** The space for a strategy name; see {@link #requireAvailable(String)}. */
    public static TransferSpace space(
            String strategy, PretrainedModel base, int numClasses, long seed) {
        requireAvailable(strategy);
        return strategy.equals(FineTuning.NAME)
                ? fineTuning(numClasses, FineTuning.pretrainedLayers(base).size(), seed)
                : featureExtraction(numClasses, seed);
    }

    /** tl4j's defaults for a strategy: its default settings, a linear head, default training. */
    public static TransferCandidate defaults(String strategy, int numClasses, long seed) {
        HeadConfig head = HeadConfig.of(numClasses);
        TrainingConfig training = TrainingConfig.builder().seed(seed).build();
        return switch (strategy) {
            case FeatureExtraction.NAME ->
                    new TransferCandidate(FeatureExtraction.defaults(), head, training);
            default -> new TransferCandidate(FineTuning.defaults(), head, training);
        };
    }
}
