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

/**
 * Produces flat position ids {@code [batch * time, 1]} (0, 1, ..., time - 1 for each example) from
 * any {@code [batch, time]} input, for a learned position-embedding layer. No gradient flows back:
 * positions do not depend on the input values.
 */
public class PositionIdsVertex extends StatelessVertexConf {

    private static final long serialVersionUID = 1L;

    /** Creates the vertex; it has no settings. */
    public PositionIdsVertex() {
        // stateless
    }

    @Override
    int inputCount() {
        return 1;
    }

    @Override
    public PositionIdsVertex clone() {
        return new PositionIdsVertex();
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
            long batch = inputs[0].size(0);
            long time = inputs[0].size(1);
            INDArray positions = Nd4j.arange(0, time).castTo(dataType).reshape(1, time);
            INDArray ids = positions.repeat(0, batch).reshape('c', batch * time, 1);
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
