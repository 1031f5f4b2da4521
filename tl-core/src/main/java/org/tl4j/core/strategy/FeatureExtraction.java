package org.tl4j.core.strategy;

import java.util.Optional;
import org.tl4j.core.model.PretrainedModel;

/**
 * Feature extraction: the pretrained network is frozen up to its feature vertex and only a new head
 * trains on its features.
 *
 * <p>Because the frozen part never changes, a trainer can compute the features once per example and
 * train the head on them (see {@link org.tl4j.core.train.FeatureCache}); set {@link
 * Builder#cacheFeatures(boolean)} to false to push every batch through the whole network instead
 * (needed when the input is augmented per epoch).
 *
 * @param learningRate Adam learning rate of the head; in (0, 1]; default 1e-3
 * @param cacheFeatures whether the trainer may featurize once and train the head on cached
 *     features; default true
 */
public record FeatureExtraction(double learningRate, boolean cacheFeatures)
        implements TransferStrategy {

    /** The name used in reports. */
    public static final String NAME = "feature-extraction";

    /** Validates the fields. */
    public FeatureExtraction {
        Strategies.checkLearningRate("learningRate", learningRate);
    }

    /** Default settings: learning rate 1e-3, cached features. */
    public static FeatureExtraction defaults() {
        return builder().build();
    }

    /** Starts a configuration with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder().learningRate(learningRate).cacheFeatures(cacheFeatures);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdaptedModel adapt(PretrainedModel base, HeadConfig head, long seed) {
        HeadGraft.Result grafted =
                HeadGraft.graft(base, head, Optional.of(base.featureVertex()), learningRate, seed);
        return new AdaptedModel(
                NAME, base, head, grafted.graph(), grafted.headLayers(), cacheFeatures);
    }

    /** Builder for {@link FeatureExtraction}. */
    public static final class Builder {
        private double learningRate = 1e-3;
        private boolean cacheFeatures = true;

        /** Adam learning rate of the head, in (0, 1]; default 1e-3. */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Whether to train the head on features computed once; default true. */
        public Builder cacheFeatures(boolean cacheFeatures) {
            this.cacheFeatures = cacheFeatures;
            return this;
        }

        /** Validates and builds. */
        public FeatureExtraction build() {
            return new FeatureExtraction(learningRate, cacheFeatures);
        }
    }
}
