package org.tl4j.core.transformer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared parts of the parameter-free run-time vertices in this package. They read padding masks
 * from an explicit graph input, so DL4J mask propagation passes nothing on.
 */
abstract class BaseVertexImpl extends BaseGraphVertex {

    BaseVertexImpl(ComputationGraph graph, String name, int index, DataType dataType) {
        super(graph, name, index, (VertexIndices[]) null, (VertexIndices[]) null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray view) {
        if (view != null) {
            throw new IllegalStateException(
                    "Vertex '" + vertexName + "' has no parameters; got a gradient view");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(
            INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, currentMaskState);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + vertexName + ")";
    }

    /**
     * @return the [batch, time] padding mask input, checked against the flat row count
     */
    static INDArray checkedMask(INDArray flat, INDArray mask, String vertexName) {
        if (mask.rank() != 2 || mask.size(0) * mask.size(1) != flat.size(0)) {
            throw new IllegalArgumentException(
                    "Vertex '"
                            + vertexName
                            + "': attention mask shape "
                            + java.util.Arrays.toString(mask.shape())
                            + " does not match "
                            + flat.size(0)
                            + " flat rows; pass a [batch, time] mask with "
                            + "batch * time = rows");
        }
        return mask;
    }
}
