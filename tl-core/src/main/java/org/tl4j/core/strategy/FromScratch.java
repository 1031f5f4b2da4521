package org.tl4j.core.strategy;

import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.core.model.PretrainedModel;

/**
 * The baseline every transfer strategy must beat: the same architecture with the new head, every
 * parameter freshly initialised, everything trained.
 *
 * @param learningRate Adam learning rate of every layer; in (0, 1]; default 1e-3
 */
public record FromScratch(double learningRate) implements TransferStrategy {

    /** The name used in reports. */
    public static final String NAME = "from-scratch";

    /** Validates the learning rate. */
    public FromScratch {
        Strategies.checkLearningRate("learningRate", learningRate);
    }

    /** Learning rate 1e-3. */
    public static FromScratch defaults() {
        return new FromScratch(1e-3);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdaptedModel adapt(PretrainedModel base, HeadConfig head, long seed) {
        HeadGraft.Result grafted =
                HeadGraft.graft(base, head, Optional.empty(), learningRate, seed);
        ComputationGraph fresh = new ComputationGraph(grafted.graph().getConfiguration().clone());
        fresh.init();
        return new AdaptedModel(NAME, base, head, fresh, grafted.headLayers(), false);
    }
}
