package org.tl4j.core.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The new classification head that every strategy puts on the pretrained features: optional hidden
 * dense layers, then a softmax output layer.
 *
 * <p>Immutable; build with {@link #builder(int)}, derive variants with {@link #toBuilder()}.
 *
 * @param numClasses number of classes of the new task; at least 2
 * @param hiddenSizes widths of hidden ReLU dense layers between the features and the output, in
 *     order; each at least 1; default none (a linear head, i.e. logistic regression on features)
 * @param dropout probability of dropping a feature or hidden unit during training, in [0, 1);
 *     default 0
 */
public record HeadConfig(int numClasses, List<Integer> hiddenSizes, double dropout) {

    /** Validates every field; see the record's documentation for the rules. */
    public HeadConfig {
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
        }
        hiddenSizes = List.copyOf(Objects.requireNonNull(hiddenSizes, "hiddenSizes"));
        for (int size : hiddenSizes) {
            if (size < 1) {
                throw new IllegalArgumentException(
                        "hiddenSizes must all be at least 1, got " + hiddenSizes);
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** A head for {@code numClasses} classes, linear, without dropout. */
    public static HeadConfig of(int numClasses) {
        return builder(numClasses).build();
    }

    /** Starts a head for {@code numClasses} classes. */
    public static Builder builder(int numClasses) {
        return new Builder(numClasses);
    }

    /** A builder holding this head's values. */
    public Builder toBuilder() {
        return new Builder(numClasses).hiddenSizes(hiddenSizes).dropout(dropout);
    }

    /** Builder for {@link HeadConfig}. */
    public static final class Builder {
        private final int numClasses;
        private List<Integer> hiddenSizes = List.of();
        private double dropout;

        private Builder(int numClasses) {
            this.numClasses = numClasses;
        }

        /** Widths of hidden dense layers; default none. */
        public Builder hiddenSizes(List<Integer> hiddenSizes) {
            this.hiddenSizes = new ArrayList<>(hiddenSizes);
            return this;
        }

        /** Dropout probability in [0, 1); default 0. */
        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Validates and builds. */
        public HeadConfig build() {
            return new HeadConfig(numClasses, hiddenSizes, dropout);
        }
    }
}
