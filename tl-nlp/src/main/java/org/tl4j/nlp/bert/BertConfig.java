package org.tl4j.nlp.bert;

import org.tl4j.core.transformer.EncoderBlockConfig;

/**
 * Architecture of a BERT-family encoder (Devlin et al., "BERT", arXiv:1810.04805), the fields of a
 * Hugging Face {@code BertConfig} that decide the graph. Immutable; build with {@link #builder()}
 * ({@code build()} validates), vary with {@link #toBuilder()}.
 *
 * @param layers encoder blocks, &gt; 0 (MiniLM-L6: 6; BERT-base: 12)
 * @param hidden hidden size, &gt; 0, divisible by {@code heads} (MiniLM: 384)
 * @param heads attention heads, &gt; 0 (MiniLM: 12)
 * @param ffnSize feed-forward inner size, &gt; 0 (MiniLM: 1536)
 * @param vocabSize token vocabulary size, &gt; 0 (30522)
 * @param maxPositions longest sequence, &gt; 0 (512)
 * @param typeVocabSize number of segment ids, &gt; 0 (2)
 * @param layerNormEps LayerNorm variance floor, &gt; 0 (1e-12)
 * @param activation feed-forward activation (GELU)
 */
public record BertConfig(
        int layers,
        int hidden,
        int heads,
        int ffnSize,
        int vocabSize,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps,
        BertActivation activation) {

    /** Validates every field; the messages name the field, the rule and the value. */
    public BertConfig {
        positive("layers", layers);
        positive("vocabSize", vocabSize);
        positive("maxPositions", maxPositions);
        positive("typeVocabSize", typeVocabSize);
        if (activation == null) {
            throw new IllegalArgumentException("activation must not be null; BERT uses GELU");
        }
        new EncoderBlockConfig(hidden, heads, ffnSize, layerNormEps, activation.toActivation());
    }

    /**
     * @return the shape of one encoder block
     */
    public EncoderBlockConfig block() {
        return new EncoderBlockConfig(
                hidden, heads, ffnSize, layerNormEps, activation.toActivation());
    }

    /**
     * @return a builder with BERT-base defaults (12 layers, 768 hidden, 12 heads, 3072 FFN)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a builder holding this configuration
     */
    public Builder toBuilder() {
        return new Builder()
                .layers(layers)
                .hidden(hidden)
                .heads(heads)
                .ffnSize(ffnSize)
                .vocabSize(vocabSize)
                .maxPositions(maxPositions)
                .typeVocabSize(typeVocabSize)
                .layerNormEps(layerNormEps)
                .activation(activation);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
    }

    /** Builder of {@link BertConfig}; see the record components for meanings and ranges. */
    public static final class Builder {
        private int layers = 12;
        private int hidden = 768;
        private int heads = 12;
        private int ffnSize = 3072;
        private int vocabSize = 30522;
        private int maxPositions = 512;
        private int typeVocabSize = 2;
        private double layerNormEps = 1e-12;
        private BertActivation activation = BertActivation.GELU;

        private Builder() {}

        /**
         * @param v encoder blocks @return this
         */
        public Builder layers(int v) {
            layers = v;
            return this;
        }

        /**
         * @param v hidden size @return this
         */
        public Builder hidden(int v) {
            hidden = v;
            return this;
        }

        /**
         * @param v attention heads @return this
         */
        public Builder heads(int v) {
            heads = v;
            return this;
        }

        /**
         * @param v feed-forward inner size @return this
         */
        public Builder ffnSize(int v) {
            ffnSize = v;
            return this;
        }

        /**
         * @param v vocabulary size @return this
         */
        public Builder vocabSize(int v) {
            vocabSize = v;
            return this;
        }

        /**
         * @param v maximum positions @return this
         */
        public Builder maxPositions(int v) {
            maxPositions = v;
            return this;
        }

        /**
         * @param v segment ids @return this
         */
        public Builder typeVocabSize(int v) {
            typeVocabSize = v;
            return this;
        }

        /**
         * @param v LayerNorm epsilon @return this
         */
        public Builder layerNormEps(double v) {
            layerNormEps = v;
            return this;
        }

        /**
         * @param v feed-forward activation @return this
         */
        public Builder activation(BertActivation v) {
            activation = v;
            return this;
        }

        /**
         * @return the validated configuration
         */
        public BertConfig build() {
            return new BertConfig(
                    layers,
                    hidden,
                    heads,
                    ffnSize,
                    vocabSize,
                    maxPositions,
                    typeVocabSize,
                    layerNormEps,
                    activation);
        }
    }
}
