package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Pools flat token vectors {@code [batch * time, hidden]} into {@code [batch, hidden]} with a
 * {@link Pooling} mode. Inputs: the flat activations and the padding mask {@code [batch, time]}.
 */
public class SequencePoolingVertex extends BaseVertexConf {

    private static final long serialVersionUID = 1L;

    private Pooling pooling;

    /** For JSON deserialisation only. */
    public SequencePoolingVertex() {
        this.pooling = Pooling.MASKED_MEAN;
    }

    /**
     * @param pooling how to pool; not null
     */
    public SequencePoolingVertex(Pooling pooling) {
        if (pooling == null) {
            throw new IllegalArgumentException(
                    "pooling must not be null; use MASKED_MEAN or " + "FIRST_TOKEN");
        }
        this.pooling = pooling;
    }

    /**
     * @return the pooling mode
     */
    public Pooling getPooling() {
        return pooling;
    }

    /**
     * @param pooling the pooling mode; for JSON
     */
    public void setPooling(Pooling pooling) {
        this.pooling = pooling;
    }

    @Override
    int inputCount() {
        return 2;
    }

    @Override
    public SequencePoolingVertex clone() {
        return new SequencePoolingVertex(pooling);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequencePoolingVertex other && other.pooling == pooling;
    }

    @Override
    public int hashCode() {
        return pooling.hashCode();
    }

    @Override
    BaseVertexImpl instantiate(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new Impl(graph, name, idx, dataType, pooling);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        return inputTypes[0];
    }

    /** Run-time vertex with a native backward pass. */
    static final class Impl extends BaseVertexImpl {

        private final Pooling pooling;

        Impl(ComputationGraph graph, String name, int idx, DataType dataType, Pooling pooling) {
            super(graph, name, idx, dataType);
            this.pooling = pooling;
        }

        /** [b, 1, t] weights: mask / count (mean) or one-hot on the first token. */
        private INDArray weights(long batch, long time) {
            INDArray mask = inputs[1].castTo(inputs[0].dataType());
            if (pooling == Pooling.FIRST_TOKEN) {
                INDArray w = Nd4j.zeros(inputs[0].dataType(), batch, 1, time);
                w.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).assign(1);
                return w;
            }
            INDArray count = mask.sum(true, 1).addi(1e-9);
            return mask.divColumnVector(count).reshape('c', batch, 1, time);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray mask = checkedMask(inputs[0], inputs[1], vertexName);
            long batch = mask.size(0);
            long time = mask.size(1);
            long hidden = inputs[0].size(1);
            INDArray seq = inputs[0].reshape('c', batch, time, hidden);
            INDArray pooled = Nd4j.matmul(weights(batch, time), seq).reshape('c', batch, hidden);
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, pooled);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr mgr) {
            INDArray mask = inputs[1];
            long batch = mask.size(0);
            long time = mask.size(1);
            long hidden = inputs[0].size(1);
            INDArray w = weights(batch, time).reshape('c', batch, time, 1);
            INDArray dSeq = Nd4j.matmul(w, epsilon.reshape('c', batch, 1, hidden));
            INDArray[] grads = {
                mgr.leverageTo(ArrayType.ACTIVATION_GRAD, dSeq.reshape('c', batch * time, hidden)),
                mgr.leverageTo(ArrayType.ACTIVATION_GRAD, mask.ulike().assign(0))
            };
            return new Pair<>(null, grads);
        }
    }
}
