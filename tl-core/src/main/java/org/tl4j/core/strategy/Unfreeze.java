package org.tl4j.core.strategy;

/**
 * Which pretrained layers fine-tuning trains. The rest is frozen.
 *
 * <p>Layers are the pretrained layers that hold parameters, from the input up to the feature
 * vertex, in topological order.
 */
public sealed interface Unfreeze {

    /** Every pretrained layer trains. */
    static Unfreeze all() {
        return new All();
    }

    /**
     * The top {@code count} pretrained layers train; the layer below them and everything it depends
     * on is frozen.
     *
     * @param count at least 1 (freezing every pretrained layer is {@link FeatureExtraction}) and at
     *     most the number of pretrained layers (checked when the strategy is applied)
     */
    static Unfreeze topLayers(int count) {
        return new TopLayers(count);
    }

    /** The named vertex and everything it depends on are frozen; what comes after trains. */
    static Unfreeze after(String vertex) {
        return new After(vertex);
    }

    /** Every pretrained layer trains. */
    record All() implements Unfreeze {
        @Override
        public String toString() {
            return "all";
        }
    }

    /** The top {@code count} pretrained layers train. */
    record TopLayers(int count) implements Unfreeze {
        /** Validates the count. */
        public TopLayers {
            if (count < 1) {
                throw new IllegalArgumentException(
                        "Unfreeze.topLayers count must be at least 1,"
                                + " got "
                                + count
                                + "; to freeze every pretrained layer use"
                                + " FeatureExtraction");
            }
        }

        @Override
        public String toString() {
            return "top " + count;
        }
    }

    /** Everything after the named vertex trains. */
    record After(String vertex) implements Unfreeze {
        /** Validates the name. */
        public After {
            if (vertex == null || vertex.isBlank()) {
                throw new IllegalArgumentException(
                        "Unfreeze.after needs a vertex name, got '" + vertex + "'");
            }
        }

        @Override
        public String toString() {
            return "after " + vertex;
        }
    }
}
