package org.tl4j.core.strategy;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.core.lora.Lora;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.model.PretrainedModel;

/**
 * LoRA (Hu et al. 2021, arXiv 2106.09685): a new head, and trainable low-rank updates added to the
 * frozen dense projections that {@link LoraConfig#targets()} match; every other pretrained weight
 * stays frozen. The new head is always kept fully trainable (added to the configuration's modules
 * to save).
 *
 * @param lora the adapter configuration (rank, alpha, dropout, targets, ...)
 * @param learningRate Adam learning rate of the adapters and the head; in (0, 1]; default 1e-3
 */
public record LoraStrategy(LoraConfig lora, double learningRate) implements TransferStrategy {

    /** The name used in reports. */
    public static final String NAME = "lora";

    /** Validates the fields. */
    public LoraStrategy {
        Objects.requireNonNull(lora, "lora");
        Strategies.checkLearningRate("learningRate", learningRate);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdaptedModel adapt(PretrainedModel base, HeadConfig head, long seed) {
        HeadGraft.Result grafted =
                HeadGraft.graft(base, head, Optional.empty(), learningRate, seed);
        LoraConfig.Builder config = lora.toBuilder();
        for (String layer : grafted.headLayers()) {
            config.modulesToSave(Pattern.quote(layer));
        }
        ComputationGraph adapted = Lora.apply(grafted.graph(), config.build());
        return new AdaptedModel(NAME, base, head, adapted, grafted.headLayers(), false);
    }
}
