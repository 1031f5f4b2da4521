package org.tl4j.core.lora;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.tl4j.core.model.LayerInstances;

/**
 * A pretrained dense projection {@code y = act(x·W + b)} whose parameters do not train but whose
 * input gradient is needed, because something below it trains (LoRA adapters in lower blocks).
 *
 * <p>DL4J's {@code FrozenLayerWithBackprop} runs the wrapped layer's full backward pass, weight
 * gradient {@code xᵀ·δ} and bias gradient included, and then zeroes them: as costly as training the
 * layer. This layer's backward pass computes only what flows down, {@code ε = (act'(z) ⊙
 * ε_out)·Wᵀ}, so a frozen projection costs one matrix product forward and one backward. Like {@code
 * FrozenLayerWithBackprop} it always runs in inference mode (no dropout); its parameters have a
 * {@link NoOp} updater, no regularisation and a gradient that is never written, so they stay
 * bit-identical through training.
 *
 * <p>It is a {@link DenseLayer} configuration (same parameters {@code W}, {@code b} and JSON
 * fields), so it saves and loads with DL4J's model serialiser and copies parameters from and to a
 * plain {@code DenseLayer}. {@link Lora#apply} puts it in place of every frozen {@code DenseLayer}
 * that has trainable layers below it.
 *
 * <p>Limitations: layer normalisation inside the dense layer ({@code hasLayerNorm}) and weight
 * noise are not supported.
 */
public class FrozenDenseLayer extends DenseLayer {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation only; use {@link #of(DenseLayer)}. */
    public FrozenDenseLayer() {}

    /**
     * A frozen copy of {@code dense}: same sizes, activation, bias and name; no updater.
     *
     * @throws UnsupportedOperationException when {@code dense} has layer normalisation
     */
    public static FrozenDenseLayer of(DenseLayer dense) {
        if (dense.hasLayerNorm()) {
            throw new UnsupportedOperationException(
                    "dense layer '"
                            + dense.getLayerName()
                            + "' has layer normalisation (hasLayerNorm = true), which"
                            + " FrozenDenseLayer does not support");
        }
        FrozenDenseLayer f = new FrozenDenseLayer();
        f.setLayerName(dense.getLayerName());
        f.setNIn(dense.getNIn());
        f.setNOut(dense.getNOut());
        f.setHasBias(dense.hasBias());
        f.setHasLayerNorm(false);
        f.setActivationFn(dense.getActivationFn());
        f.setWeightInitFn(dense.getWeightInitFn());
        f.setBiasInit(dense.getBiasInit());
        f.setGainInit(dense.getGainInit());
        f.setTimeDistributedFormat(dense.getTimeDistributedFormat());
        f.setIUpdater(new NoOp());
        f.setBiasUpdater(null);
        f.setRegularization(Collections.emptyList());
        f.setRegularizationBias(Collections.emptyList());
        return f;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        LayerValidation.assertNInNOutSet(
                "FrozenDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerInstances.wire(
                new FrozenDenseLayerImpl(conf, networkDataType),
                this,
                conf,
                trainingListeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    /** Every parameter is frozen: {@link NoOp}, so the optimizer keeps no state for it. */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return new NoOp();
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return Collections.emptyList();
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public String toString() {
        return "FrozenDenseLayer(name="
                + getLayerName()
                + ", nIn="
                + getNIn()
                + ", nOut="
                + getNOut()
                + ", activation="
                + getActivationFn()
                + ")";
    }
}
