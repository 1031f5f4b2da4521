package org.tl4j.core.strategy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.core.lora.Lora;
import org.tl4j.core.lora.LoraAdapters;
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
        ComputationGraph adapted = Lora.apply(grafted.graph(), configFor(grafted.headLayers()));
        return new AdaptedModel(NAME, base, head, adapted, grafted.headLayers(), false);
    }

    /**
     * Writes only what {@link #adapt} trained — the adapters and the head — to {@code file},
     * atomically, with a fingerprint of the frozen base ({@link LoraAdapters}); a few hundred KB
     * for MiniLM instead of the 90 MB model.
     *
     * @param model a model this strategy adapted and trained
     * @throws IllegalArgumentException when {@code model} was not made by a LoRA strategy with this
     *     configuration
     */
    public void saveAdapter(AdaptedModel model, Path file) throws IOException {
        if (!NAME.equals(model.strategy())) {
            throw new IllegalArgumentException(
                    "model was adapted by '" + model.strategy() + "', not by LoRA");
        }
        LoraAdapters.save(model.graph(), configFor(model.headLayers()), file);
    }

    /**
     * Rebuilds a model saved by {@link #saveAdapter}: a new head on {@code base}, then the saved
     * adapters and head parameters. The result computes what the saved model computed.
     *
     * @param base the pretrained model the adapter was trained on (checked by fingerprint)
     * @param head the head configuration used when training
     * @throws IllegalArgumentException when {@code base} is not the model the adapter was trained
     *     on, or the file is not an adapter file
     */
    public AdaptedModel loadAdapter(PretrainedModel base, HeadConfig head, Path file)
            throws IOException {
        HeadGraft.Result grafted = HeadGraft.graft(base, head, Optional.empty(), learningRate, 0);
        ComputationGraph adapted = LoraAdapters.load(grafted.graph(), file);
        return new AdaptedModel(NAME, base, head, adapted, grafted.headLayers(), false);
    }

    /** The adapter configuration with the new head kept trainable. */
    private LoraConfig configFor(List<String> headLayers) {
        LoraConfig.Builder config = lora.toBuilder();
        for (String layer : headLayers) {
            config.modulesToSave(Pattern.quote(layer));
        }
        return config.build();
    }
}
