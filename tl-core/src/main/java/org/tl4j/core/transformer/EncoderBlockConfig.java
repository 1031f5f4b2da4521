package org.tl4j.core.transformer;

import org.nd4j.linalg.activations.IActivation;

/**
 * Shape of one post-LayerNorm transformer encoder block (BERT layout): self-attention with residual
 * and LayerNorm, then a two-layer feed-forward network with residual and LayerNorm.
 *
 * @param hidden hidden size, &gt; 0 and divisible by {@code heads} (MiniLM-L6: 384)
 * @param heads attention heads, &gt; 0 (MiniLM-L6: 12)
 * @param ffnSize inner size of the feed-forward network, &gt; 0 (usually 4 x hidden)
 * @param layerNormEps LayerNorm variance floor, &gt; 0 (BERT: 1e-12)
 * @param activation feed-forward activation, not null (BERT: {@link ErfGeluActivation})
 */
public record EncoderBlockConfig(
        int hidden, int heads, int ffnSize, double layerNormEps, IActivation activation) {

    /** Validates every field; see the component descriptions for the rules. */
    public EncoderBlockConfig {
        requirePositive("hidden", hidden);
        requirePositive("heads", heads);
        requirePositive("ffnSize", ffnSize);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException(
                    "hidden ("
                            + hidden
                            + ") must be divisible by heads ("
                            + heads
                            + "); choose heads among the divisors of hidden");
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException(
                    "layerNormEps must be > 0 (BERT uses 1e-12), got " + layerNormEps);
        }
        if (activation == null) {
            throw new IllegalArgumentException(
                    "activation must not be null; BERT uses new ErfGeluActivation()");
        }
    }

    /**
     * @return the size of one attention head, {@code hidden / heads}
     */
    public int headSize() {
        return hidden / heads;
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
    }
}
