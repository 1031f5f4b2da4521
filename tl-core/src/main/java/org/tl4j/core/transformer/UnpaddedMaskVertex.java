package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The padding mask of sequences without padding: ones of shape {@code [batch, time]}, with the
 * batch size read from the first dimension of its input (any array, e.g. the images of a ViT) and a
 * fixed {@code time}. It lets models whose sequences all have the same length (ViT's patches) use
 * the attention and pooling vertices of this package, which take a mask input. No parameters; no
 * gradient flows back.
 */
public class UnpaddedMaskVertex extends BaseVertexConf {

    private static final long serialVersionUID = 1L;

    private int time;

    /** For JSON deserialisation only. */
    public UnpaddedMaskVertex() {
        this.time = 1;
    }

    /**
     * @param time tokens per sequence, &gt; 0
     */
    public UnpaddedMaskVertex(int time) {
        if (time <= 0) {
            throw new IllegalArgumentException("time must be > 0, got " + time);
        }
        this.time = time;
    }

    /**
     * @return tokens per sequence
     */
    public int getTime() {
        return time;
    }

    /**
     * @param time tokens per sequence; for JSON
     */
    public void setTime(int time) {
        this.time = time;
    }

    @Override
    int inputCount() {
        return 1;
    }

    @Override
    public UnpaddedMaskVertex clone() {
        return new UnpaddedMaskVertex(time);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnpaddedMaskVertex other && other.time == time;
    }

    @Override
    public int hashCode() {
        return 43 * time + 11;
    }

    @Override
    BaseVertexImpl instantiate(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new Impl(graph, name, idx, dataType, time);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        return InputType.feedForward(time);
    }

    /** Run-time vertex. */
    static final class Impl extends BaseVertexImpl {

        private final int time;

        Impl(ComputationGraph graph, String name, int idx, DataType dataType, int time) {
            super(graph, name, idx, dataType);
            this.time = time;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray ones =
                    workspaceMgr.create(
                            ArrayType.ACTIVATIONS, dataType, inputs[0].size(0), (long) time);
            return ones.assign(1);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr mgr) {
            INDArray zero =
                    mgr.create(ArrayType.ACTIVATION_GRAD, inputs[0].dataType(), inputs[0].shape());
            return new Pair<>(null, new INDArray[] {zero.assign(0)});
        }
    }
}
