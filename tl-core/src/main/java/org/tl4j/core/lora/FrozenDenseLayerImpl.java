package org.tl4j.core.lora;

import java.util.Arrays;
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
import org.nd4j.linalg.api.memory.MemoryWorkspace;
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

    /**
     * Pre-activation z of the last training forward pass, kept for the backward pass when the
     * activation's derivative needs it (GELU after the FFN's first projection); outside workspaces,
     * reused while the shape stays the same. Saves recomputing x·W in backpropagation.
     */
    private transient INDArray cachedZ;

    private transient boolean cachedZValid;

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        cachedZValid = false;
    }

    /** Always inference mode, as DL4J's frozen wrappers: no dropout on a frozen layer. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training || layerConf().getActivationFn() instanceof ActivationIdentity) {
            return super.activate(false, workspaceMgr);
        }
        INDArray z = preOutput(false, workspaceMgr);
        if (cachedZ == null || !Arrays.equals(cachedZ.shape(), z.shape())) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                cachedZ = Nd4j.createUninitialized(z.dataType(), z.shape(), z.ordering());
            }
        }
        cachedZ.assign(z);
        cachedZValid = true;
        INDArray ret = layerConf().getActivationFn().getActivation(z, false);
        if (maskArray != null) {
            applyMask(ret);
        }
        return ret;
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
            // The activation's backprop overwrites z: the cache serves one backward pass.
            INDArray z = cachedZValid ? cachedZ : preOutput(false, workspaceMgr);
            cachedZValid = false;
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
