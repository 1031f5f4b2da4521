package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Run-time layer of {@link PositionEmbeddingLayer}: forward and native backward pass. */
final class PositionEmbeddingLayerImpl extends TokenTableLayerImpl {

    private static final long serialVersionUID = 1L;

    PositionEmbeddingLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray in = inputSequences();
        long batch = in.size(0);
        long perExample = in.size(1) * in.size(2);
        INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, in.reshape('c', batch, perExample));
        out.addiRowVector(table().reshape('c', 1, perExample));
        return out.reshape('c', input.size(0), input.size(1));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(
            INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray in = inputSequences();
        long batch = in.size(0);
        INDArray tableGrad =
                epsilon.reshape('c', batch, in.size(1) * in.size(2))
                        .sum(true, 0)
                        .reshape('c', in.size(1), in.size(2));
        INDArray dx = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon);
        return new Pair<>(tableGradient(tableGrad), dx);
    }
}
