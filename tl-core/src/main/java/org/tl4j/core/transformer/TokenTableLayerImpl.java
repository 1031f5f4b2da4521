package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shared run-time parts of {@link ClassTokenLayerImpl} and {@link PositionEmbeddingLayerImpl}. */
abstract class TokenTableLayerImpl extends BaseLayer<TokenTableLayer> {

    private static final long serialVersionUID = 1L;

    TokenTableLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The input as {@code [batch, sequenceLength, features]}, checked. */
    INDArray inputSequences() {
        int n = layerConf().getSequenceLength();
        long features = layerConf().getNIn();
        if (input.rank() != 2 || input.size(0) % n != 0 || input.size(1) != features) {
            throw new IllegalArgumentException(
                    "Layer '"
                            + layerId()
                            + "': input shape "
                            + java.util.Arrays.toString(input.shape())
                            + " is not [batch * "
                            + n
                            + ", "
                            + features
                            + "] (flat token sequences of length "
                            + n
                            + ")");
        }
        return input.reshape('c', input.size(0) / n, n, features);
    }

    /** The table parameter, {@code [rows, features]}. */
    INDArray table() {
        return getParam(TokenTableParamInitializer.TABLE_KEY);
    }

    /** Writes the table's gradient into its view and wraps it. */
    Gradient tableGradient(INDArray value) {
        INDArray view = gradientViews.get(TokenTableParamInitializer.TABLE_KEY);
        view.assign(value);
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(TokenTableParamInitializer.TABLE_KEY, view);
        return gradient;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return false;
    }
}
