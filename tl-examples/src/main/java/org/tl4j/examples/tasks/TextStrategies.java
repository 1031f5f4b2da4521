package org.tl4j.examples.tasks;

import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.LoraStrategy;

/**
 * The three strategies of the text task with the settings {@code tl compare --task text}, its
 * benchmarks and the LoRA example share.
 */
public final class TextStrategies {

    /** LoRA on the query and value projections of every encoder block (PEFT's default). */
    public static final LoraConfig LORA_CONFIG =
            LoraConfig.builder()
                    .rank(8)
                    .alpha(16)
                    .targets("encoder\\.\\d+\\.attention\\.(query|value)")
                    .build();

    private TextStrategies() {}

    /** Frozen encoder, new linear head on the pooled embedding, head learning rate 3e-3. */
    public static FeatureExtraction featureExtraction() {
        return FeatureExtraction.builder().learningRate(3e-3).build();
    }

    /** Every encoder layer trains: head 1e-3, pretrained layers 0.05 of it (5e-5). */
    public static FineTuning fineTuning() {
        return FineTuning.builder().learningRate(1e-3).pretrainedLearningRateRatio(0.05).build();
    }

    /** {@link #LORA_CONFIG} (rank 8, alpha 16) with adapters and head at learning rate 3e-3. */
    public static LoraStrategy lora() {
        return new LoraStrategy(LORA_CONFIG, 3e-3);
    }
}
