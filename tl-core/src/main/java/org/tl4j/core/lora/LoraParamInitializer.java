package org.tl4j.core.lora;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a {@link LoraDenseLayer}: {@code W} (nIn × nOut), {@code b} (nOut, 1-D as in DL4J's
 * DenseLayer, when the layer has a bias), {@code A} (nIn × r) and {@code B} (r × nOut), laid out in
 * that order in the flattened parameter view, each in 'f' order as DL4J's dense layers use.
 */
public final class LoraParamInitializer implements ParamInitializer {

    /** Key of the frozen base weight matrix. */
    public static final String WEIGHT_KEY = "W";

    /** Key of the base bias. */
    public static final String BIAS_KEY = "b";

    /** Key of the adapter down-projection (nIn × r). */
    public static final String A_KEY = "A";

    /** Key of the adapter up-projection (r × nOut), zero at initialisation. */
    public static final String B_KEY = "B";

    private static final LoraParamInitializer INSTANCE = new LoraParamInitializer();

    private LoraParamInitializer() {}

    /** The shared stateless instance. */
    public static LoraParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        LoraDenseLayer l = (LoraDenseLayer) layer;
        long in = l.getNIn();
        long out = l.getNOut();
        long r = l.getRank();
        return in * out + (l.hasBias() ? out : 0) + in * r + r * out;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(4);
        keys.add(WEIGHT_KEY);
        if (((LoraDenseLayer) layer).hasBias()) {
            keys.add(BIAS_KEY);
        }
        keys.add(A_KEY);
        keys.add(B_KEY);
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY, A_KEY, B_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((LoraDenseLayer) layer).hasBias() ? List.of(BIAS_KEY) : Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key) || A_KEY.equals(key) || B_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(
            NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        LoraDenseLayer layer = (LoraDenseLayer) conf.getLayer();
        Map<String, INDArray> params = split(layer, paramsView);
        if (initializeParams) {
            INDArray w = params.get(WEIGHT_KEY);
            layer.getWeightInitFn().init(layer.getNIn(), layer.getNOut(), w.shape(), 'f', w);
            if (layer.hasBias()) {
                params.get(BIAS_KEY).assign(layer.getBiasInit());
            }
            initAdapter(layer, params.get(A_KEY), params.get(B_KEY), Nd4j.getRandom());
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(
            NeuralNetConfiguration conf, INDArray gradientView) {
        return split((LoraDenseLayer) conf.getLayer(), gradientView);
    }

    /**
     * Initialises the adapter in place: {@code A} by the layer's {@link LoraInit}, {@code B} to
     * zero, so that the adapted layer starts out computing exactly the base projection.
     */
    static void initAdapter(LoraDenseLayer layer, INDArray a, INDArray b, Random rng) {
        if (layer.getInitMode() == LoraInit.GAUSSIAN) {
            double std = 1.0 / layer.getRank();
            a.assign(Nd4j.randn(0.0, std, a.shape(), rng).castTo(a.dataType()));
        } else {
            // kaiming_uniform(a = sqrt(5)) gives the bound 1/sqrt(fan_in) with fan_in = nIn.
            double bound = 1.0 / Math.sqrt(layer.getNIn());
            a.assign(Nd4j.rand(a.shape(), -bound, bound, rng).castTo(a.dataType()));
        }
        b.assign(0);
    }

    private static Map<String, INDArray> split(LoraDenseLayer layer, INDArray view) {
        long in = layer.getNIn();
        long out = layer.getNOut();
        long r = layer.getRank();
        INDArray flat = view.reshape(view.length());
        Map<String, INDArray> params = new LinkedHashMap<>();
        long offset = 0;
        offset = put(params, WEIGHT_KEY, flat, offset, in, out);
        if (layer.hasBias()) {
            // A 1-D bias, as DL4J's DenseLayer keeps it, so that parameters copy across.
            params.put(BIAS_KEY, flat.get(NDArrayIndex.interval(offset, offset + out)));
            offset += out;
        }
        offset = put(params, A_KEY, flat, offset, in, r);
        put(params, B_KEY, flat, offset, r, out);
        return params;
    }

    private static long put(
            Map<String, INDArray> params,
            String key,
            INDArray flat,
            long offset,
            long rows,
            long cols) {
        long length = rows * cols;
        INDArray part = flat.get(NDArrayIndex.interval(offset, offset + length));
        params.put(key, part.reshape('f', rows, cols));
        return offset + length;
    }
}
