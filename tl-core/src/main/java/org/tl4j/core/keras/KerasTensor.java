package org.tl4j.core.keras;

import java.util.Arrays;
import java.util.Optional;

/**
 * A Keras tensor during import: the DL4J vertex that produces it and its Keras shape.
 *
 * <p>Sequences (Keras shape {@code [time, features]}) are held flat in DL4J as {@code [batch *
 * time, features]}, the layout of tl4j's transformer blocks, so that a Keras {@code Dense} or
 * {@code LayerNormalization} on the last axis is an ordinary DL4J layer; {@code sequenceInput}
 * names the model input they derive from (it supplies batch and time). Vectors ({@code [features]})
 * are {@code [batch, features]}. Attention masks ({@code [1, time]}) are {@code [batch, time]}.
 *
 * @param vertex the DL4J vertex (or graph input) holding the tensor
 * @param shape the Keras shape without the batch axis; -1 for an unknown size (variable time)
 * @param kind what the tensor holds
 * @param sequenceInput for sequences, a vertex (usually the model input) holding {@code [batch,
 *     time, ...]} whose batch and time they share, or the {@code [batch, time]} all-ones mask
 *     declared by {@link KerasImportContext#fixedLengthSequence}; for patches, the images
 */
public record KerasTensor(String vertex, long[] shape, Kind kind, Optional<String> sequenceInput) {

    /** What a tensor holds, and so its DL4J layout. */
    public enum Kind {
        /** {@code [time, features]} held flat as {@code [batch * time, features]}. */
        SEQUENCE,
        /** {@code [features]} held as {@code [batch, features]}. */
        VECTOR,
        /** A key padding mask held as {@code [batch, time]}. */
        MASK,
        /**
         * {@code [height, width, channels]} held as fed, {@code [batch, height, width, channels]}.
         */
        IMAGE,
        /**
         * {@code [rows, columns, features]}, a grid of patch embeddings (a patch-embedding
         * convolution's output) held flat as {@code [batch * rows * columns, features]}, row by
         * row; {@code sequenceInput} names the images it comes from.
         */
        PATCHES
    }

    /** Copies the shape. */
    public KerasTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * @return the size of the last axis (features)
     */
    public long features() {
        return shape[shape.length - 1];
    }

    /**
     * @return the same tensor held by another vertex (for shape-preserving layers)
     */
    public KerasTensor withVertex(String newVertex) {
        return new KerasTensor(newVertex, shape, kind, sequenceInput);
    }

    /**
     * @return the same tensor kind with another feature size and vertex
     */
    public KerasTensor withFeatures(String newVertex, long features) {
        long[] s = shape.clone();
        s[s.length - 1] = features;
        return new KerasTensor(newVertex, s, kind, sequenceInput);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasTensor t
                && t.vertex.equals(vertex)
                && Arrays.equals(t.shape, shape)
                && t.kind == kind
                && t.sequenceInput.equals(sequenceInput);
    }

    @Override
    public int hashCode() {
        return vertex.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return kind + Arrays.toString(shape) + " at '" + vertex + "'";
    }
}
