package org.tl4j.core.lora;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of a {@link FrozenDenseLayer}: DL4J's dense forward pass in inference mode, and a
 * backward pass that computes the input gradient only, {@code ε = (act'(z) ⊙ ε_out)·Wᵀ}. No
 * parameter gradient is computed or written.
 */
public class FrozenDenseLayerImpl extends DenseLayer {

    private static final long serialVersionUID = 1L;

    /** DL4J's layer constructor. */
    public FrozenDenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Always inference mode, as DL4J's frozen wrappers: no dropout on a frozen layer. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return super.activate(false, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(
            INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray delta;
        if (layerConf().getActivationFn() instanceof ActivationIdentity) {
            // The identity's derivative does not depend on z: skip recomputing x·W.
            delta = epsilon;
        } else {
            INDArray z = preOutput(false, workspaceMgr);
            delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
        }
        if (maskArray != null) {
            applyMask(delta);
        }
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray epsNext =
                workspaceMgr.createUninitialized(
                        ArrayType.ACTIVATION_GRAD,
                        delta.dataType(),
                        new long[] {delta.size(0), w.size(0)},
                        'f');
        Nd4j.gemm(delta.castTo(w.dataType()), w, epsNext, false, true, 1.0, 0.0);
        return new Pair<>(new DefaultGradient(), epsNext);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}
