package org.tl4j.core.tune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.strategy.LoraStrategy;

/**
 * Searches {@link LoraStrategy} settings (LoRA, Hu et al. 2021, arXiv 2106.09685): the learning
 * rate of the adapters and the head, the adapters' rank r, scaling numerator alpha (the update is
 * scaled by {@code alpha / r}) and dropout, and which dense layers are adapted, plus the {@link
 * CommonSpace}.
 *
 * <p>Targets are a discrete choice among lists of whole-name layer patterns (see {@link
 * LoraConfig}), e.g. query and value only, or every attention projection. The adapters' A matrices
 * are initialised with the common space's seed. A point whose settings LoRA rejects (rank above a
 * layer's width, a pattern that matches no layer) is a candidate that fails with LoRA's message;
 * the search goes on.
 *
 * <p>Immutable; build with {@link #builder(CommonSpace, List)}.
 */
public final class LoraSpace extends TransferSpace {

    private final ParameterSpace<Double> learningRate;
    private final ParameterSpace<Integer> rank;
    private final ParameterSpace<Double> alpha;
    private final ParameterSpace<Double> dropout;
    private final ParameterSpace<List<String>> targets;

    private LoraSpace(Builder b) {
        super(b.common);
        this.learningRate = b.learningRate;
        this.rank = b.rank;
        this.alpha = b.alpha;
        this.dropout = b.dropout;
        this.targets = b.targets;
    }

    /**
     * Starts a space over {@code common} that adapts the layers {@code targets} match, with LoRA's
     * other defaults held fixed; {@link Builder#targets(ParameterSpace)} searches the targets
     * instead.
     *
     * @param targets whole-name regular expressions of the dense layers to adapt, e.g. {@code
     *     encoder\.\d+\.attention\.(query|value)}
     */
    public static Builder builder(CommonSpace common, List<String> targets) {
        return new Builder(common, targets);
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected Map<String, ParameterSpace> strategySpaces() {
        Map<String, ParameterSpace> spaces = new LinkedHashMap<>();
        spaces.put("learningRate", learningRate);
        spaces.put("rank", rank);
        spaces.put("alpha", alpha);
        spaces.put("loraDropout", dropout);
        spaces.put("targets", targets);
        return spaces;
    }

    @Override
    protected Map<String, Object> strategySettings(double[] values) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("strategy", LoraStrategy.NAME);
        s.put("learningRate", learningRate.getValue(values));
        s.put("rank", rank.getValue(values));
        s.put("alpha", alpha.getValue(values));
        s.put("loraDropout", dropout.getValue(values));
        s.put("targets", List.copyOf(targets.getValue(values)));
        s.put("loraSeed", common().seed());
        return s;
    }

    /** Builder for {@link LoraSpace}. */
    public static final class Builder {
        private final CommonSpace common;
        private ParameterSpace<Double> learningRate = new FixedValue<>(1e-3);
        private ParameterSpace<Integer> rank = new FixedValue<>(8);
        private ParameterSpace<Double> alpha = new FixedValue<>(16.0);
        private ParameterSpace<Double> dropout = new FixedValue<>(0.0);
        private ParameterSpace<List<String>> targets;

        private Builder(CommonSpace common, List<String> targets) {
            this.common = Objects.requireNonNull(common, "common");
            this.targets =
                    new FixedValue<>(List.copyOf(Objects.requireNonNull(targets, "targets")));
        }

        /**
         * Adam learning rate of the adapters and the new head, values in (0, 1]; default 1e-3. A
         * {@link LogUniformSpace} suits it.
         */
        public Builder learningRate(ParameterSpace<Double> learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Adapter rank r, values at least 1 and at most the narrowest target's width (a larger one
         * fails that candidate); default 8. A {@code DiscreteParameterSpace} of powers of two (4,
         * 8, 16) is the usual choice.
         */
        public Builder rank(ParameterSpace<Integer> rank) {
            this.rank = rank;
            return this;
        }

        /**
         * Scaling numerator alpha (the update is scaled by {@code alpha / r}), finite values above
         * 0; default 16. Held fixed while the rank is searched, a higher rank gets a smaller scale.
         */
        public Builder alpha(ParameterSpace<Double> alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Dropout on the adapter path at training time, values in [0, 1); default 0. */
        public Builder dropout(ParameterSpace<Double> dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * The layers to adapt, as a choice among lists of whole-name patterns (a {@code
         * DiscreteParameterSpace} of lists); each list needs at least one pattern, and each pattern
         * must match a layer of the model (else that candidate fails); default the list given to
         * {@link LoraSpace#builder}.
         */
        public Builder targets(ParameterSpace<List<String>> targets) {
            this.targets = targets;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException if the fixed targets are empty
         * @throws NullPointerException naming the setting if a space is null
         */
        public LoraSpace build() {
            Objects.requireNonNull(learningRate, "learningRate space");
            Objects.requireNonNull(rank, "rank space");
            Objects.requireNonNull(alpha, "alpha space");
            Objects.requireNonNull(dropout, "dropout space");
            Objects.requireNonNull(targets, "targets space");
            if (targets instanceof FixedValue<List<String>> fixed
                    && fixed.getValue(new double[0]).isEmpty()) {
                throw new IllegalArgumentException(
                        "targets must name at least one layer pattern (e.g. one matching"
                                + " the query and value projections); got none");
            }
            return new LoraSpace(this);
        }
    }
}
