package org.tl4j.core.transformer;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.ElementWiseParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.model.LayerInstances;

/**
 * Configuration of a layer normalisation over the feature axis of a {@code [rows, features]} input
 * (Ba, Kiros and Hinton, "Layer Normalization", arXiv:1607.06450): {@code y = gamma * (x - mean) /
 * sqrt(var + epsilon) + beta}, statistics per row.
 *
 * <p>Its parameters reuse DL4J's element-wise layout: {@code W} is gamma ({@code [1, features]},
 * initialised to ones) and {@code b} is beta (initialised to zeros). The backward pass is native.
 */
public class LayerNormLayer extends FeedForwardLayer {

    private static final long serialVersionUID = 1L;

    private double epsilon = 1e-12;

    /** For JSON deserialisation only; use {@link #builder()}. */
    public LayerNormLayer() {
        super();
    }

    private LayerNormLayer(Builder builder) {
        super(builder);
        this.epsilon = builder.epsilon;
    }

    /**
     * @return a builder; set {@code nIn} (= {@code nOut}) and optionally {@code epsilon}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the variance floor added before the square root, &gt; 0 (BERT: 1e-12)
     */
    public double getEpsilon() {
        return epsilon;
    }

    /**
     * @param epsilon the variance floor, &gt; 0; for JSON
     */
    public void setEpsilon(double epsilon) {
        this.epsilon = epsilon;
    }

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray paramsView,
            boolean initializeParams,
            DataType dataType) {
        return LayerInstances.wire(
                new LayerNormLayerImpl(conf, dataType),
                this,
                conf,
                listeners,
                layerIndex,
                paramsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return ElementWiseParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, LayerNormLayer.class, inputType, inputType)
                .standardMemory(params, 2 * params)
                .workingMemory(0, 0, 0, 2L * inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && ((LayerNormLayer) o).epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Double.hashCode(epsilon);
    }

    /** Builder of {@link LayerNormLayer}. */
    public static final class Builder extends FeedForwardLayer.Builder<Builder> {

        private double epsilon = 1e-12;

        private Builder() {
            weightInit(WeightInit.ONES);
            biasInit(0.0);
            activation(Activation.IDENTITY);
        }

        /**
         * @param size the number of features, &gt; 0 (both nIn and nOut)
         * @return this builder
         */
        public Builder size(long size) {
            nIn(size);
            return nOut(size);
        }

        /**
         * @param epsilon variance floor, &gt; 0; default 1e-12 (BERT)
         * @return this builder
         */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public LayerNormLayer build() {
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException(
                        "LayerNormLayer epsilon must be > 0 (BERT uses 1e-12), got " + epsilon);
            }
            if (nIn <= 0 || nIn != nOut) {
                throw new IllegalArgumentException(
                        "LayerNormLayer needs size(n) with n > 0, got nIn="
                                + nIn
                                + ", nOut="
                                + nOut);
            }
            return new LayerNormLayer(this);
        }
    }
}
