package org.tl4j.core.train;

/**
 * How a {@link Trainer} runs: run-time settings that do not change what a model is.
 *
 * <p>Immutable; build with {@link #builder()}, derive variants with {@link #toBuilder()}.
 *
 * @param maxEpochs upper bound on passes over the training data; at least 1; default 30
 * @param batchSize examples per gradient step; at least 1; default 32
 * @param patience epochs without improvement of the validation loss before training stops early; at
 *     least 1; default 5
 * @param minImprovement a decrease of the validation loss smaller than this does not count as an
 *     improvement; at least 0; default 1e-4
 * @param seed seeds the order of the examples in each epoch and dropout; default 42
 */
public record TrainingConfig(
        int maxEpochs, int batchSize, int patience, double minImprovement, long seed) {

    /** Validates every field; see the record's documentation for the rules. */
    public TrainingConfig {
        requireAtLeast("maxEpochs", maxEpochs, 1);
        requireAtLeast("batchSize", batchSize, 1);
        requireAtLeast("patience", patience, 1);
        if (!(minImprovement >= 0)) {
            throw new IllegalArgumentException(
                    "minImprovement must be at least 0, got " + minImprovement);
        }
    }

    private static void requireAtLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(
                    field + " must be at least " + min + ", got " + value);
        }
    }

    /** The defaults: 30 epochs at most, batches of 32, patience 5, seed 42. */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    /** Starts a configuration with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder()
                .maxEpochs(maxEpochs)
                .batchSize(batchSize)
                .patience(patience)
                .minImprovement(minImprovement)
                .seed(seed);
    }

    /** Builder for {@link TrainingConfig}. */
    public static final class Builder {
        private int maxEpochs = 30;
        private int batchSize = 32;
        private int patience = 5;
        private double minImprovement = 1e-4;
        private long seed = 42;

        /** Upper bound on epochs, at least 1; default 30. */
        public Builder maxEpochs(int maxEpochs) {
            this.maxEpochs = maxEpochs;
            return this;
        }

        /** Examples per step, at least 1; default 32. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Epochs without improvement before stopping, at least 1; default 5. */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Smallest validation-loss decrease that counts, at least 0; default 1e-4. */
        public Builder minImprovement(double minImprovement) {
            this.minImprovement = minImprovement;
            return this;
        }

        /** Seed of example order and dropout; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Validates and builds. */
        public TrainingConfig build() {
            return new TrainingConfig(maxEpochs, batchSize, patience, minImprovement, seed);
        }
    }
}
