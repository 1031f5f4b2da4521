package org.tl4j.core.tune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.tl4j.core.train.TrainingConfig;

/**
 * The part of a search space every strategy shares: the new head (hidden widths, dropout) and how
 * training runs (batch size, epochs). Each setting is an Arbiter {@link ParameterSpace}; use {@link
 * FixedValue} (the default) for a setting that is not searched.
 *
 * <p>Immutable; build with {@link #builder(int)}.
 */
public final class CommonSpace {

    private final int numClasses;
    private final ParameterSpace<List<Integer>> hiddenSizes;
    private final ParameterSpace<Double> dropout;
    private final ParameterSpace<Integer> batchSize;
    private final ParameterSpace<Integer> maxEpochs;
    private final int patience;
    private final long seed;

    private CommonSpace(Builder b) {
        this.numClasses = b.numClasses;
        this.hiddenSizes = b.hiddenSizes;
        this.dropout = b.dropout;
        this.batchSize = b.batchSize;
        this.maxEpochs = b.maxEpochs;
        this.patience = b.patience;
        this.seed = b.seed;
    }

    /** Starts a space for a task with {@code numClasses} classes (at least 2). */
    public static Builder builder(int numClasses) {
        return new Builder(numClasses);
    }

    /** The seed every candidate trains and initialises its head with. */
    public long seed() {
        return seed;
    }

    /** The searched settings by name, in a stable order. */
    @SuppressWarnings("rawtypes")
    Map<String, ParameterSpace> spaces() {
        Map<String, ParameterSpace> spaces = new LinkedHashMap<>();
        spaces.put("hiddenSizes", hiddenSizes);
        spaces.put("dropout", dropout);
        spaces.put("batchSize", batchSize);
        spaces.put("maxEpochs", maxEpochs);
        return spaces;
    }

    /** Head and training settings at one point, named as {@link TransferCandidate} names them. */
    Map<String, Object> settings(double[] values) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("numClasses", numClasses);
        s.put("hiddenSizes", List.copyOf(hiddenSizes.getValue(values)));
        s.put("dropout", dropout.getValue(values));
        s.put("maxEpochs", maxEpochs.getValue(values));
        s.put("batchSize", batchSize.getValue(values));
        s.put("patience", patience);
        s.put("minImprovement", TrainingConfig.defaults().minImprovement());
        s.put("seed", seed);
        return s;
    }

    /** Builder for {@link CommonSpace}; {@link #build()} validates. */
    public static final class Builder {
        private final int numClasses;
        private ParameterSpace<List<Integer>> hiddenSizes = new FixedValue<>(List.of());
        private ParameterSpace<Double> dropout = new FixedValue<>(0.0);
        private ParameterSpace<Integer> batchSize = new FixedValue<>(32);
        private ParameterSpace<Integer> maxEpochs = new FixedValue<>(30);
        private int patience = 5;
        private long seed = 42;

        private Builder(int numClasses) {
            this.numClasses = numClasses;
        }

        /**
         * Widths of the head's hidden ReLU layers (a list per choice, e.g. a {@code
         * DiscreteParameterSpace} of {@code []}, {@code [64]}, {@code [128]}); each width at least
         * 1; default {@code []}, a linear head.
         */
        public Builder hiddenSizes(ParameterSpace<List<Integer>> hiddenSizes) {
            this.hiddenSizes = hiddenSizes;
            return this;
        }

        /** Head dropout probability, values in [0, 1); default 0. */
        public Builder dropout(ParameterSpace<Double> dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Examples per gradient step, values at least 1; default 32. */
        public Builder batchSize(ParameterSpace<Integer> batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Upper bound on epochs (early stopping may end sooner), at least 1; default 30. */
        public Builder maxEpochs(ParameterSpace<Integer> maxEpochs) {
            this.maxEpochs = maxEpochs;
            return this;
        }

        /** Epochs without validation improvement before stopping, at least 1; default 5. */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Seed of every candidate's head initialisation, example order and dropout; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException if numClasses is below 2 or patience below 1
         * @throws NullPointerException naming the setting if a space is null
         */
        public CommonSpace build() {
            if (numClasses < 2) {
                throw new IllegalArgumentException(
                        "numClasses must be at least 2, got " + numClasses);
            }
            if (patience < 1) {
                throw new IllegalArgumentException("patience must be at least 1, got " + patience);
            }
            Objects.requireNonNull(hiddenSizes, "hiddenSizes space");
            Objects.requireNonNull(dropout, "dropout space");
            Objects.requireNonNull(batchSize, "batchSize space");
            Objects.requireNonNull(maxEpochs, "maxEpochs space");
            return new CommonSpace(this);
        }
    }
}
