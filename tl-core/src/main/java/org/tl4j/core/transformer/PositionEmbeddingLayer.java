package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Adds a learned position embedding to every example of a flat token sequence (as in ViT,
 * Dosovitskiy et al., arXiv:2010.11929): input and output {@code [batch * n, features]}, row {@code
 * b * n + t} of the output is input row {@code b * n + t} plus table row {@code t}.
 *
 * <p>Parameter {@value TokenTableParamInitializer#TABLE_KEY}: the table, {@code [n, features]}. The
 * backward pass is native: the table's gradient is the batch sum of the output gradient.
 */
public class PositionEmbeddingLayer extends TokenTableLayer {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation only; use {@link #builder()}. */
    public PositionEmbeddingLayer() {
        super();
    }

    private PositionEmbeddingLayer(Builder builder) {
        super(builder);
    }

    /**
     * @return a builder; set {@code size} (features) and {@code sequenceLength} (positions)
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public long tableRows() {
        return getSequenceLength();
    }

    @Override
    public int outputLength() {
        return getSequenceLength();
    }

    @Override
    org.deeplearning4j.nn.api.Layer create(NeuralNetConfiguration conf, DataType dataType) {
        return new PositionEmbeddingLayerImpl(conf, dataType);
    }

    /** Builder of {@link PositionEmbeddingLayer}. */
    public static final class Builder extends TokenTableLayer.Builder<Builder> {

        private Builder() {}

        @Override
        @SuppressWarnings("unchecked")
        public PositionEmbeddingLayer build() {
            validate("PositionEmbeddingLayer");
            return new PositionEmbeddingLayer(this);
        }
    }
}
