package org.tl4j.core.lora;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of a {@link LoraDenseLayer}: {@code y = act(x·W + b + s·(dropout(x)·A)·B)}.
 *
 * <p>Backpropagation writes gradients for {@code A} and {@code B} only (and {@code b} when it is
 * trainable); the gradient view of {@code W} is never written and stays zero, so the base weights
 * are unchanged bit for bit after any number of updates. The epsilon passed to the layer below
 * includes both the base and the adapter path.
 */
public class LoraDenseLayerImpl extends BaseLayer<LoraDenseLayer> {

    private static final long serialVersionUID = 1L;

    /** Inverted-dropout mask of the current input (values 0 or 1/(1-p)); outside workspaces. */
    private transient INDArray loraMask;

    /** u·A from the last training forward pass, reused by backpropagation; outside workspaces. */
    private transient INDArray cachedH;

    /** DL4J's layer constructor. */
    public LoraDenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        loraMask = null;
        cachedH = null;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // This layer has no weight noise.
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }

    @Override
    public boolean hasLayerNorm() {
        return false;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = preOutput(training, workspaceMgr);
        INDArray ret = layerConf().getActivationFn().getActivation(z, training);
        if (maskArray != null) {
            applyMask(ret);
        }
        return ret;
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = checkedInput();
        INDArray w = getParam(LoraParamInitializer.WEIGHT_KEY);
        INDArray z =
                workspaceMgr.createUninitialized(
                        ArrayType.ACTIVATIONS, w.dataType(), x.size(0), w.size(1));
        x.mmuli(w, z);
        if (hasBias()) {
            z.addiRowVector(getParam(LoraParamInitializer.BIAS_KEY));
        }
        if (adapterActive()) {
            // z += s·(u·A)·B in one accumulating product: no [batch, nOut] temporary.
            INDArray h = loraInput(x, training).mmul(getParam(LoraParamInitializer.A_KEY));
            if (training) {
                // A [batch, r] copy is cheaper than recomputing u·A over the whole input.
                cachedH = h.detach();
            }
            Nd4j.gemm(
                    h,
                    getParam(LoraParamInitializer.B_KEY),
                    z,
                    false,
                    false,
                    layerConf().scaling(),
                    1.0);
        }
        if (maskArray != null) {
            applyMask(z);
        }
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(
            INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (layerConf().isMerged()) {
            throw new IllegalStateException(
                    "LoRA layer '"
                            + layerConf().getLayerName()
                            + "' is merged (W holds W + s·A·B)"
                            + " and cannot be trained; call Lora.unmerge(graph) first");
        }
        INDArray delta = outputDelta(epsilon, workspaceMgr);
        INDArray x = checkedInput();
        Gradient gradient = new DefaultGradient();
        INDArray deltaB = null;
        if (hasBias() && layerConf().isBiasTrainable()) {
            INDArray biasGrad = gradientViews.get(LoraParamInitializer.BIAS_KEY);
            delta.sum(biasGrad, 0);
            gradient.gradientForVariable().put(LoraParamInitializer.BIAS_KEY, biasGrad);
        }
        if (layerConf().isAdapterEnabled()) {
            deltaB = adapterGradients(x, delta, gradient);
        }
        INDArray epsNext = inputEpsilon(x, delta, deltaB, workspaceMgr);
        epsNext = backpropDropOutIfPresent(epsNext);
        return new Pair<>(gradient, epsNext);
    }

    /**
     * Writes the gradients of A and B into their views and returns {@code s·δ·Bᵀ} ([batch, r]),
     * from which the caller adds the adapter's part of the input epsilon. With u = dropout(x) and h
     * = u·A: dB = s·hᵀ·δ and dA = uᵀ·(s·δ·Bᵀ).
     */
    private INDArray adapterGradients(INDArray x, INDArray delta, Gradient gradient) {
        double s = layerConf().scaling();
        INDArray a = getParam(LoraParamInitializer.A_KEY);
        INDArray u = loraInput(x, true);
        INDArray gradB = gradientViews.get(LoraParamInitializer.B_KEY);
        INDArray h = cachedH != null && cachedH.size(0) == u.size(0) ? cachedH : u.mmul(a);
        Nd4j.gemm(h, delta, gradB, true, false, s, 0.0);
        INDArray deltaB = Nd4j.gemm(delta, getParam(LoraParamInitializer.B_KEY), false, true);
        deltaB.muli(s);
        INDArray gradA = gradientViews.get(LoraParamInitializer.A_KEY);
        Nd4j.gemm(u, deltaB, gradA, true, false, 1.0, 0.0);
        gradient.gradientForVariable().put(LoraParamInitializer.A_KEY, gradA);
        gradient.gradientForVariable().put(LoraParamInitializer.B_KEY, gradB);
        return deltaB;
    }

    /** ε_x = δ·Wᵀ + (s·δ·Bᵀ)·Aᵀ; zeros when no layer upstream needs it. */
    private INDArray inputEpsilon(
            INDArray x, INDArray delta, INDArray deltaB, LayerWorkspaceMgr workspaceMgr) {
        INDArray w = getParam(LoraParamInitializer.WEIGHT_KEY);
        long[] shape = {x.size(0), w.size(0)};
        if (!layerConf().isInputGradientNeeded()) {
            return workspaceMgr.create(ArrayType.ACTIVATION_GRAD, delta.dataType(), shape, 'f');
        }
        INDArray epsNext =
                workspaceMgr.createUninitialized(
                        ArrayType.ACTIVATION_GRAD, delta.dataType(), shape, 'f');
        Nd4j.gemm(delta, w, epsNext, false, true, 1.0, 0.0);
        if (deltaB != null) {
            addAdapterEpsilon(deltaB, epsNext);
        }
        return epsNext;
    }

    /** ε_x += (s·δ·Bᵀ)·Aᵀ, masked by the adapter-path dropout when there is one. */
    private void addAdapterEpsilon(INDArray deltaB, INDArray epsNext) {
        INDArray a = getParam(LoraParamInitializer.A_KEY);
        if (loraMask == null) {
            Nd4j.gemm(deltaB, a, epsNext, false, true, 1.0, 1.0);
        } else {
            epsNext.addi(Nd4j.gemm(deltaB, a, false, true).muli(loraMask));
        }
    }

    /** δ = ∂L/∂z: epsilon through the activation; the forward pass is recomputed if needed. */
    private INDArray outputDelta(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray delta;
        if (layerConf().getActivationFn() instanceof ActivationIdentity) {
            // The identity's derivative does not depend on z: skip recomputing x·W.
            delta = epsilon;
        } else {
            INDArray z = preOutput(true, workspaceMgr);
            delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
        }
        if (maskArray != null) {
            applyMask(delta);
        }
        return delta;
    }

    private boolean adapterActive() {
        return layerConf().isAdapterEnabled() && !layerConf().isMerged();
    }

    /** The adapter path's input: x itself, or x times the inverted-dropout mask in training. */
    private INDArray loraInput(INDArray x, boolean training) {
        double p = layerConf().getLoraDropout();
        if (!training || p <= 0) {
            return x;
        }
        if (loraMask == null || !Arrays.equals(loraMask.shape(), x.shape())) {
            // The same mask must serve the forward and the backward pass, which run in
            // different workspaces: keep it outside of them.
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                INDArray mask = Nd4j.createUninitialized(x.dataType(), x.shape());
                Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - p));
                loraMask = mask.muli(1.0 / (1.0 - p));
            }
        }
        return x.mul(loraMask);
    }

    private INDArray checkedInput() {
        INDArray w = getParam(LoraParamInitializer.WEIGHT_KEY);
        if (input.rank() != 2 || input.size(1) != w.size(0)) {
            throw new DL4JInvalidInputException(
                    "LoRA layer '"
                            + layerConf().getLayerName()
                            + "' expects input of shape "
                            + "[batch, "
                            + w.size(0)
                            + "]; got "
                            + Arrays.toString(input.shape())
                            + ". Sequence input needs DL4J's RnnToFeedForwardPreProcessor "
                            + "(set input types on the graph). "
                            + layerId());
        }
        return input.dataType() == w.dataType() ? input : input.castTo(w.dataType());
    }
}
