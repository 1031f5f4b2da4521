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
 * Reshapes {@code [batch, time]} ids (token or segment ids) to the flat column {@code [batch *
 * time, 1]} that DL4J's EmbeddingLayer reads. Ids are not differentiable: the backward pass returns
 * zeros even when no gradient arrives (an EmbeddingLayer passes none back, which makes DL4J's own
 * ReshapeVertex fail with "errors not set").
 */
public class FlattenIdsVertex extends StatelessVertexConf {

    private static final long serialVersionUID = 1L;

    /** Creates the vertex; it has no settings. */
    public FlattenIdsVertex() {
        // stateless
    }

    @Override
    int inputCount() {
        return 1;
    }

    @Override
    public FlattenIdsVertex clone() {
        return new FlattenIdsVertex();
    }

    @Override
    BaseVertexImpl instantiate(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new Impl(graph, name, idx, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        return InputType.feedForward(1);
    }

    /** Run-time vertex. */
    static final class Impl extends BaseVertexImpl {

        Impl(ComputationGraph graph, String name, int idx, DataType dataType) {
            super(graph, name, idx, dataType);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray ids = inputs[0].castTo(dataType).reshape('c', inputs[0].length(), 1);
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, ids);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr mgr) {
            INDArray zero =
                    mgr.create(ArrayType.ACTIVATION_GRAD, inputs[0].dataType(), inputs[0].shape());
            return new Pair<>(null, new INDArray[] {zero.assign(0)});
        }
    }
}
