package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Prepends a learned class token to every example of a flat token sequence (Dosovitskiy et al., "An
 * Image is Worth 16x16 Words", arXiv:2010.11929, section 3.1): input {@code [batch * n, features]},
 * output {@code [batch * (n + 1), features]} whose row {@code b * (n + 1)} is the class token and
 * rows {@code b * (n + 1) + 1 ... b * (n + 1) + n} are example {@code b}'s input rows.
 *
 * <p>Parameter {@value TokenTableParamInitializer#TABLE_KEY}: the token, {@code [1, features]}. The
 * backward pass is native: the token's gradient is the sum over the batch of the gradients of the
 * class rows.
 */
public class ClassTokenLayer extends TokenTableLayer {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation only; use {@link #builder()}. */
    public ClassTokenLayer() {
        super();
    }

    private ClassTokenLayer(Builder builder) {
        super(builder);
    }

    /**
     * @return a builder; set {@code size} (features) and {@code sequenceLength} (tokens per example
     *     before the class token)
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public long tableRows() {
        return 1;
    }

    @Override
    public int outputLength() {
        return getSequenceLength() + 1;
    }

    @Override
    org.deeplearning4j.nn.api.Layer create(NeuralNetConfiguration conf, DataType dataType) {
        return new ClassTokenLayerImpl(conf, dataType);
    }

    /** Builder of {@link ClassTokenLayer}. */
    public static final class Builder extends TokenTableLayer.Builder<Builder> {

        private Builder() {}

        @Override
        @SuppressWarnings("unchecked")
        public ClassTokenLayer build() {
            validate("ClassTokenLayer");
            return new ClassTokenLayer(this);
        }
    }
}
