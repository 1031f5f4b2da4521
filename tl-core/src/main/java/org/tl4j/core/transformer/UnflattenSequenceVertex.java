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
 * Reshapes flat token vectors {@code [batch * time, hidden]} to {@code [batch, time, hidden]} (the
 * layout of Hugging Face's {@code last_hidden_state}). Inputs: the flat activations and the {@code
 * [batch, time]} mask, which supplies batch and time.
 */
public class UnflattenSequenceVertex extends StatelessVertexConf {

    private static final long serialVersionUID = 1L;

    /** Creates the vertex; it has no settings. */
    public UnflattenSequenceVertex() {
        // stateless
    }

    @Override
    int inputCount() {
        return 2;
    }

    @Override
    public UnflattenSequenceVertex clone() {
        return new UnflattenSequenceVertex();
    }

    @Override
    BaseVertexImpl instantiate(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new Impl(graph, name, idx, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        return inputTypes[0];
    }

    /** Run-time vertex: a reshape forward, the inverse reshape backward. */
    static final class Impl extends BaseVertexImpl {

        Impl(ComputationGraph graph, String name, int idx, DataType dataType) {
            super(graph, name, idx, dataType);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray mask = checkedMask(inputs[0], inputs[1], vertexName);
            INDArray out = inputs[0].reshape('c', mask.size(0), mask.size(1), inputs[0].size(1));
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, out);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr mgr) {
            INDArray flat = epsilon.reshape('c', inputs[0].size(0), inputs[0].size(1));
            INDArray[] grads = {
                mgr.dup(ArrayType.ACTIVATION_GRAD, flat),
                mgr.leverageTo(ArrayType.ACTIVATION_GRAD, inputs[1].ulike().assign(0))
            };
            return new Pair<>(null, grads);
        }
    }
}
