package org.tl4j.core.transformer;

import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.model.LayerInstances;

/**
 * Shared configuration of the layers that add a learned table of token vectors to flat token
 * sequences {@code [batch * sequenceLength, features]} ({@link ClassTokenLayer}, {@link
 * PositionEmbeddingLayer}). The batch size is the row count divided by {@link
 * #getSequenceLength()}, so the sequence length is part of the configuration.
 */
public abstract class TokenTableLayer extends FeedForwardLayer
        implements TokenTableParamInitializer.TableLayer {

    private static final long serialVersionUID = 1L;

    private int sequenceLength;

    /** For JSON deserialisation only. */
    protected TokenTableLayer() {
        super();
    }

    /** From a builder of a subclass. */
    protected TokenTableLayer(Builder<?> builder) {
        super(builder);
        this.sequenceLength = builder.sequenceLength;
    }

    /**
     * @return tokens per example in the input, &gt; 0
     */
    public int getSequenceLength() {
        return sequenceLength;
    }

    /**
     * @param sequenceLength tokens per example in the input; for JSON
     */
    public void setSequenceLength(int sequenceLength) {
        this.sequenceLength = sequenceLength;
    }

    /**
     * @return tokens per example in the output
     */
    public abstract int outputLength();

    /** Creates the run-time layer (parameters are set by {@link #instantiate}). */
    abstract org.deeplearning4j.nn.api.Layer create(NeuralNetConfiguration conf, DataType dataType);

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray paramsView,
            boolean initializeParams,
            DataType dataType) {
        return LayerInstances.wire(
                create(conf, dataType),
                this,
                conf,
                listeners,
                layerIndex,
                paramsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return TokenTableParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, inputType)
                .standardMemory(params, 2 * params)
                .workingMemory(0, 0, 0, inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && ((TokenTableLayer) o).sequenceLength == sequenceLength;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + sequenceLength;
    }

    /**
     * Shared builder: {@code size} (features) and {@code sequenceLength} are required; weights
     * start from a normal distribution with standard deviation {@link TransformerBlocks#INIT_STD}
     * unless {@code weightInit} is set.
     */
    public abstract static class Builder<T extends Builder<T>> extends FeedForwardLayer.Builder<T> {

        private int sequenceLength;

        /** Sets the defaults. */
        protected Builder() {
            weightInit(new NormalDistribution(0, TransformerBlocks.INIT_STD));
            activation(Activation.IDENTITY);
        }

        /**
         * @param size features per token, &gt; 0 (both nIn and nOut)
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public T size(long size) {
            nIn(size);
            return nOut(size);
        }

        /**
         * @param sequenceLength tokens per example in the input, &gt; 0
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public T sequenceLength(int sequenceLength) {
            this.sequenceLength = sequenceLength;
            return (T) this;
        }

        /** Checks the shared fields; {@code layer} names the layer class in messages. */
        protected void validate(String layer) {
            if (nIn <= 0 || nIn != nOut) {
                throw new IllegalArgumentException(
                        layer + " needs size(n) with n > 0, got nIn=" + nIn + ", nOut=" + nOut);
            }
            if (sequenceLength <= 0) {
                throw new IllegalArgumentException(
                        layer + " sequenceLength must be > 0, got " + sequenceLength);
            }
        }
    }
}
