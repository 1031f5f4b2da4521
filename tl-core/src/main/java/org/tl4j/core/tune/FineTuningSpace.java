package org.tl4j.core.tune;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.Unfreeze;

/**
 * Searches {@link FineTuning} settings: head learning rate, pretrained-layer learning-rate ratio
 * and number of unfrozen layers, plus the {@link CommonSpace}.
 *
 * <p>Immutable; build with {@link #builder(CommonSpace)}.
 */
public final class FineTuningSpace extends TransferSpace {

    private final ParameterSpace<Double> learningRate;
    private final ParameterSpace<Double> pretrainedLearningRateRatio;
    private final Optional<ParameterSpace<Integer>> unfrozenLayers;
    private final boolean trainBatchNorm;

    private FineTuningSpace(Builder b) {
        super(b.common);
        this.learningRate = b.learningRate;
        this.pretrainedLearningRateRatio = b.pretrainedLearningRateRatio;
        this.unfrozenLayers = Optional.ofNullable(b.unfrozenLayers);
        this.trainBatchNorm = b.trainBatchNorm;
    }

    /** Starts a space over {@code common} with fine-tuning's defaults held fixed. */
    public static Builder builder(CommonSpace common) {
        return new Builder(common);
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected Map<String, ParameterSpace> strategySpaces() {
        Map<String, ParameterSpace> spaces = new LinkedHashMap<>();
        spaces.put("learningRate", learningRate);
        spaces.put("pretrainedLearningRateRatio", pretrainedLearningRateRatio);
        unfrozenLayers.ifPresent(s -> spaces.put("unfrozenLayers", s));
        return spaces;
    }

    @Override
    protected Map<String, Object> strategySettings(double[] values) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("strategy", FineTuning.NAME);
        s.put("learningRate", learningRate.getValue(values));
        s.put("pretrainedLearningRateRatio", pretrainedLearningRateRatio.getValue(values));
        s.put(
                "unfreeze",
                unfrozenLayers
                        .map(layers -> "top " + layers.getValue(values))
                        .orElse(Unfreeze.all().toString()));
        s.put("trainBatchNorm", trainBatchNorm);
        return s;
    }

    /** Builder for {@link FineTuningSpace}. */
    public static final class Builder {
        private final CommonSpace common;
        private ParameterSpace<Double> learningRate = new FixedValue<>(1e-3);
        private ParameterSpace<Double> pretrainedLearningRateRatio = new FixedValue<>(0.1);
        private ParameterSpace<Integer> unfrozenLayers;
        private boolean trainBatchNorm;

        private Builder(CommonSpace common) {
            this.common = Objects.requireNonNull(common, "common");
        }

        /**
         * Adam learning rate of the new head, values in (0, 1]; default 1e-3. A {@link
         * LogUniformSpace} suits it.
         */
        public Builder learningRate(ParameterSpace<Double> learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Pretrained-layer learning rate divided by the head's, in (0, 1]; default 0.1. */
        public Builder pretrainedLearningRateRatio(ParameterSpace<Double> ratio) {
            this.pretrainedLearningRateRatio = ratio;
            return this;
        }

        /**
         * Number of top pretrained layers (with parameters) that train, from 1 to the model's count
         * (a larger value fails that candidate); default: not searched, every layer trains.
         */
        public Builder unfrozenLayers(ParameterSpace<Integer> unfrozenLayers) {
            this.unfrozenLayers = unfrozenLayers;
            return this;
        }

        /** Whether BatchNorm layers train (not searched); default false. */
        public Builder trainBatchNorm(boolean trainBatchNorm) {
            this.trainBatchNorm = trainBatchNorm;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws NullPointerException naming the setting if a space is null
         */
        public FineTuningSpace build() {
            Objects.requireNonNull(learningRate, "learningRate space");
            Objects.requireNonNull(
                    pretrainedLearningRateRatio, "pretrainedLearningRateRatio space");
            return new FineTuningSpace(this);
        }
    }
}
