package org.tl4j.core.transformer;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of the layers that add learned vectors to a token sequence ({@link ClassTokenLayer},
 * {@link PositionEmbeddingLayer}): one table {@value #TABLE_KEY} of shape {@code [rows, features]}
 * (row {@code r} is the vector of token {@code r}), initialised by the layer's weight
 * initialisation. No bias. The table lies in the flat parameter vector in 'f' order, as DL4J's
 * dense weights do: DL4J's {@code BaseLayer.setParams} (used by TransferLearning to copy
 * parameters) reads every parameter in that order.
 */
public final class TokenTableParamInitializer implements ParamInitializer {

    /** Key of the table. */
    public static final String TABLE_KEY = "W";

    private static final TokenTableParamInitializer INSTANCE = new TokenTableParamInitializer();

    private TokenTableParamInitializer() {}

    /** The shared stateless instance. */
    public static TokenTableParamInitializer getInstance() {
        return INSTANCE;
    }

    /** A layer that owns a token table. */
    interface TableLayer {
        /**
         * @return rows of the table
         */
        long tableRows();

        /**
         * @return features per row
         */
        long getNOut();
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        TableLayer t = (TableLayer) layer;
        return t.tableRows() * t.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(TABLE_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(TABLE_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return TABLE_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(
            NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Layer layer = conf.getLayer();
        INDArray table = table((TableLayer) layer, paramsView);
        // DL4J's BaseLayer.setParams sizes parameters by the configuration's variable list.
        conf.addVariable(TABLE_KEY);
        if (initializeParams) {
            org.deeplearning4j.nn.conf.layers.BaseLayer base =
                    (org.deeplearning4j.nn.conf.layers.BaseLayer) layer;
            base.getWeightInitFn().init(table.size(1), table.size(1), table.shape(), 'f', table);
        }
        return Collections.singletonMap(TABLE_KEY, table);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(
            NeuralNetConfiguration conf, INDArray gradientView) {
        return Collections.singletonMap(
                TABLE_KEY, table((TableLayer) conf.getLayer(), gradientView));
    }

    private static INDArray table(TableLayer layer, INDArray view) {
        return view.reshape('f', layer.tableRows(), layer.getNOut());
    }
}
