package org.tl4j.core.tune;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.tl4j.core.strategy.FeatureExtraction;

/**
 * Searches {@link FeatureExtraction} settings: the head's learning rate, plus the {@link
 * CommonSpace} (head width and dropout matter most here, since only the head trains).
 *
 * <p>Immutable; build with {@link #builder(CommonSpace)}.
 */
public final class FeatureExtractionSpace extends TransferSpace {

    private final ParameterSpace<Double> learningRate;
    private final boolean cacheFeatures;

    private FeatureExtractionSpace(Builder b) {
        super(b.common);
        this.learningRate = b.learningRate;
        this.cacheFeatures = b.cacheFeatures;
    }

    /** Starts a space over {@code common} with feature extraction's defaults held fixed. */
    public static Builder builder(CommonSpace common) {
        return new Builder(common);
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected Map<String, ParameterSpace> strategySpaces() {
        Map<String, ParameterSpace> spaces = new LinkedHashMap<>();
        spaces.put("learningRate", learningRate);
        return spaces;
    }

    @Override
    protected Map<String, Object> strategySettings(double[] values) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("strategy", FeatureExtraction.NAME);
        s.put("learningRate", learningRate.getValue(values));
        s.put("cacheFeatures", cacheFeatures);
        return s;
    }

    /** Builder for {@link FeatureExtractionSpace}. */
    public static final class Builder {
        private final CommonSpace common;
        private ParameterSpace<Double> learningRate = new FixedValue<>(1e-3);
        private boolean cacheFeatures = true;

        private Builder(CommonSpace common) {
            this.common = Objects.requireNonNull(common, "common");
        }

        /** Adam learning rate of the head, values in (0, 1]; default 1e-3. */
        public Builder learningRate(ParameterSpace<Double> learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Whether candidates train the head on features computed once (not searched; it changes
         * cost, not the result); default true.
         */
        public Builder cacheFeatures(boolean cacheFeatures) {
            this.cacheFeatures = cacheFeatures;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws NullPointerException naming the setting if the space is null
         */
        public FeatureExtractionSpace build() {
            Objects.requireNonNull(learningRate, "learningRate space");
            return new FeatureExtractionSpace(this);
        }
    }
}
