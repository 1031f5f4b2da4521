package org.tl4j.core.transformer;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reshapes token vectors {@code [batch, time, features]} (the layout of Keras and Hugging Face) to
 * the flat {@code [batch * time, features]} (row {@code b * time + t}) that the encoder blocks
 * read; the inverse of {@link UnflattenSequenceVertex}.
 */
public class FlattenSequenceVertex extends StatelessVertexConf {

    private static final long serialVersionUID = 1L;

    /** Creates the vertex; it has no settings. */
    public FlattenSequenceVertex() {
        // stateless
    }

    @Override
    int inputCount() {
        return 1;
    }

    @Override
    public FlattenSequenceVertex clone() {
        return new FlattenSequenceVertex();
    }

    @Override
    BaseVertexImpl instantiate(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new Impl(graph, name, idx, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        InputType in = inputTypes[0];
        if (in instanceof InputType.InputTypeRecurrent r) {
            return InputType.feedForward(r.getSize());
        }
        return in;
    }

    /** Run-time vertex: a reshape forward, the inverse reshape backward. */
    static final class Impl extends BaseVertexImpl {

        Impl(ComputationGraph graph, String name, int idx, DataType dataType) {
            super(graph, name, idx, dataType);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray in = inputs[0];
            if (in.rank() != 3) {
                throw new IllegalArgumentException(
                        "Vertex '"
                                + vertexName
                                + "': expected a [batch, time, features] sequence, got shape "
                                + Arrays.toString(in.shape()));
            }
            INDArray flat = in.dup('c').reshape('c', in.size(0) * in.size(1), in.size(2));
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, flat);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr mgr) {
            INDArray grad = epsilon.dup('c').reshape('c', inputs[0].shape());
            return new Pair<>(
                    null, new INDArray[] {mgr.leverageTo(ArrayType.ACTIVATION_GRAD, grad)});
        }
    }
}
