package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Run-time layer of {@link ClassTokenLayer}: forward and native backward pass. */
final class ClassTokenLayerImpl extends TokenTableLayerImpl {

    private static final long serialVersionUID = 1L;

    ClassTokenLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray in = inputSequences();
        long batch = in.size(0);
        long n = in.size(1);
        long features = in.size(2);
        INDArray out =
                workspaceMgr.createUninitialized(
                        ArrayType.ACTIVATIONS, in.dataType(), new long[] {batch, n + 1, features});
        out.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all())
                .assign(table().broadcast(batch, features));
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(1, n + 1), NDArrayIndex.all()).assign(in);
        return out.reshape('c', batch * (n + 1), features);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(
            INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray in = inputSequences();
        long batch = in.size(0);
        long n = in.size(1);
        long features = in.size(2);
        INDArray eps = epsilon.reshape('c', batch, n + 1, features);
        INDArray tokenGrad =
                eps.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).sum(true, 0);
        INDArray dx =
                workspaceMgr.createUninitialized(
                        ArrayType.ACTIVATION_GRAD, in.dataType(), new long[] {batch, n, features});
        dx.assign(eps.get(NDArrayIndex.all(), NDArrayIndex.interval(1, n + 1), NDArrayIndex.all()));
        return new Pair<>(tableGradient(tokenGrad), dx.reshape('c', batch * n, features));
    }
}
