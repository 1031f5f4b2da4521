package org.tl4j.core.lora;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.tl4j.core.model.LayerInstances;

/**
 * Configuration of a dense layer with a frozen base projection and a trainable low-rank adapter:
 * {@code y = act(x·W + b + s·(dropout(x)·A)·B)}.
 *
 * <p>LoRA follows Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models" (arXiv
 * 2106.09685): {@code W} (in × out) and {@code b} (1 × out) are the pretrained weights, {@code A}
 * (in × r) and {@code B} (r × out) the adapter, and the scaling is {@code s = alpha / r}. With
 * rank-stabilised LoRA (Kalajdzievski 2023, "A Rank Stabilization Scaling Factor for Fine-Tuning
 * with LoRA", arXiv 2312.03732) it is {@code s = alpha / sqrt(r)}.
 *
 * <p>{@code W} gets no gradient computation and a {@link NoOp} updater (no optimizer state); {@code
 * b} likewise unless {@link #isBiasTrainable()}. Hyperparameters:
 *
 * <ul>
 *   <li>{@code rank}: r, the adapter's inner dimension; 1 ≤ r ≤ min(nIn, nOut); no default
 *       (required).
 *   <li>{@code alpha}: scaling numerator; finite and &gt; 0; default 8.
 *   <li>{@code loraDropout}: inverted-dropout probability on the adapter path only, applied at
 *       training time; in [0, 1); default 0.
 *   <li>{@code useRsLora}: scale by {@code alpha / sqrt(r)} instead of {@code alpha / r}; default
 *       false.
 *   <li>{@code initMode}: initialisation of {@code A}; default {@link LoraInit#KAIMING_UNIFORM}.
 *   <li>{@code hasBias}: whether the base projection has a bias; default true.
 *   <li>{@code biasTrainable}: whether the base bias is trained; default false.
 *   <li>{@code merged}: whether {@code s·A·B} has been added into {@code W} (set by {@link
 *       Lora#merge}); the forward pass then skips the adapter path; default false.
 *   <li>{@code adapterEnabled}: when false the layer outputs the base projection only (set by
 *       {@link Lora#setAdaptersEnabled}); default true.
 *   <li>{@code inputGradientNeeded}: whether backpropagation computes the gradient with respect to
 *       the layer's input (δ·Wᵀ, as costly as the forward product). {@link Lora#apply} sets it to
 *       false when nothing upstream of the layer trains, as DL4J skips backpropagation below frozen
 *       bottom layers; the layer then passes zeros down. Default true.
 * </ul>
 *
 * <p>Every field has a getter and setter and there is a public no-argument constructor: DL4J's JSON
 * serialisation silently drops fields without them.
 *
 * <p>Limitations: the layer takes 2-D input [batch, nIn]; sequence input reaches it through the
 * feed-forward preprocessors that DL4J inserts for any {@link FeedForwardLayer} (the same
 * projection at every time step). Weight noise (DropConnect) of the replaced layer is not kept.
 */
public class LoraDenseLayer extends FeedForwardLayer {

    private static final long serialVersionUID = 1L;

    private long rank;
    private double alpha = 8.0;
    private double loraDropout;
    private boolean useRsLora;
    private LoraInit initMode = LoraInit.KAIMING_UNIFORM;
    private boolean hasBias = true;
    private boolean biasTrainable;
    private boolean merged;
    private boolean adapterEnabled = true;
    private boolean inputGradientNeeded = true;

    /** For JSON deserialisation only; use {@link Builder}. */
    public LoraDenseLayer() {}

    private LoraDenseLayer(Builder builder) {
        super(builder);
        this.rank = builder.rank;
        this.alpha = builder.alpha;
        this.loraDropout = builder.loraDropout;
        this.useRsLora = builder.useRsLora;
        this.initMode = builder.initMode;
        this.hasBias = builder.hasBias;
        this.biasTrainable = builder.biasTrainable;
        initializeConstraints(builder);
    }

    /** The scaling {@code s}: {@code alpha / r}, or {@code alpha / sqrt(r)} with rsLoRA. */
    public double scaling() {
        return useRsLora ? alpha / Math.sqrt(rank) : alpha / rank;
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
                "LoraDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerInstances.wire(
                new LoraDenseLayerImpl(conf, networkDataType),
                this,
                conf,
                trainingListeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return LoraParamInitializer.getInstance();
    }

    /** Base parameters get {@link NoOp}: no optimizer state, and no gradient is ever written. */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (isTrainableParam(paramName)) {
            boolean bias = LoraParamInitializer.BIAS_KEY.equals(paramName);
            return bias && biasUpdater != null ? biasUpdater : iUpdater;
        }
        return new NoOp();
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (!isTrainableParam(paramName)) {
            return Collections.emptyList();
        }
        if (LoraParamInitializer.BIAS_KEY.equals(paramName)) {
            return regularizationBias == null ? Collections.emptyList() : regularizationBias;
        }
        return regularization == null ? Collections.emptyList() : regularization;
    }

    /** Whether the named parameter is trained: A, B, and the bias when it is trainable. */
    public boolean isTrainableParam(String paramName) {
        switch (paramName) {
            case LoraParamInitializer.A_KEY:
            case LoraParamInitializer.B_KEY:
                return true;
            case LoraParamInitializer.BIAS_KEY:
                return biasTrainable;
            default:
                return false;
        }
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long trainable = rank * (nIn + nOut) + (biasTrainable && hasBias ? nOut : 0);
        long updaterState = iUpdater == null ? 0 : iUpdater.stateSize(trainable);
        // Per example: the output, x·A, and at training time the dropout mask and epsilon.
        long inferencePerEx = nOut + rank;
        long trainPerEx = inferencePerEx + nIn + rank + (loraDropout > 0 ? nIn : 0);
        return new LayerMemoryReport.Builder(layerName, LoraDenseLayer.class, inputType, outputType)
                .standardMemory(numParams, updaterState)
                .workingMemory(0, inferencePerEx, 0, trainPerEx)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Whether the base projection has a bias (as {@code DenseLayer.hasBias}). */
    public boolean hasBias() {
        return hasBias;
    }

    public long getRank() {
        return rank;
    }

    public void setRank(long rank) {
        this.rank = rank;
    }

    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    public double getLoraDropout() {
        return loraDropout;
    }

    public void setLoraDropout(double loraDropout) {
        this.loraDropout = loraDropout;
    }

    public boolean isUseRsLora() {
        return useRsLora;
    }

    public void setUseRsLora(boolean useRsLora) {
        this.useRsLora = useRsLora;
    }

    public LoraInit getInitMode() {
        return initMode;
    }

    public void setInitMode(LoraInit initMode) {
        this.initMode = initMode;
    }

    public boolean isHasBias() {
        return hasBias;
    }

    public void setHasBias(boolean hasBias) {
        this.hasBias = hasBias;
    }

    public boolean isBiasTrainable() {
        return biasTrainable;
    }

    public void setBiasTrainable(boolean biasTrainable) {
        this.biasTrainable = biasTrainable;
    }

    public boolean isMerged() {
        return merged;
    }

    public void setMerged(boolean merged) {
        this.merged = merged;
    }

    public boolean isAdapterEnabled() {
        return adapterEnabled;
    }

    public void setAdapterEnabled(boolean adapterEnabled) {
        this.adapterEnabled = adapterEnabled;
    }

    public boolean isInputGradientNeeded() {
        return inputGradientNeeded;
    }

    public void setInputGradientNeeded(boolean inputGradientNeeded) {
        this.inputGradientNeeded = inputGradientNeeded;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LoraDenseLayer) || !super.equals(o)) {
            return false;
        }
        LoraDenseLayer that = (LoraDenseLayer) o;
        return rank == that.rank
                && Double.compare(alpha, that.alpha) == 0
                && Double.compare(loraDropout, that.loraDropout) == 0
                && useRsLora == that.useRsLora
                && initMode == that.initMode
                && hasBias == that.hasBias
                && biasTrainable == that.biasTrainable
                && merged == that.merged
                && adapterEnabled == that.adapterEnabled
                && inputGradientNeeded == that.inputGradientNeeded;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                super.hashCode(),
                rank,
                alpha,
                loraDropout,
                useRsLora,
                initMode,
                hasBias,
                biasTrainable,
                merged,
                adapterEnabled,
                inputGradientNeeded);
    }

    @Override
    public String toString() {
        return "LoraDenseLayer(name="
                + layerName
                + ", nIn="
                + nIn
                + ", nOut="
                + nOut
                + ", rank="
                + rank
                + ", alpha="
                + alpha
                + ", rsLora="
                + useRsLora
                + ", merged="
                + merged
                + ", enabled="
                + adapterEnabled
                + ")";
    }

    /** Builds a validated {@link LoraDenseLayer}; see the class Javadoc for each field. */
    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        private long rank;
        private double alpha = 8.0;
        private double loraDropout;
        private boolean useRsLora;
        private LoraInit initMode = LoraInit.KAIMING_UNIFORM;
        private boolean hasBias = true;
        private boolean biasTrainable;

        /** Adapter rank r; 1 ≤ r ≤ min(nIn, nOut); required. */
        public Builder rank(long rank) {
            this.rank = rank;
            return this;
        }

        /** Scaling numerator; finite and &gt; 0; default 8. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Dropout probability on the adapter path; in [0, 1); default 0. */
        public Builder loraDropout(double loraDropout) {
            this.loraDropout = loraDropout;
            return this;
        }

        /** Use {@code alpha / sqrt(r)} scaling; default false. */
        public Builder useRsLora(boolean useRsLora) {
            this.useRsLora = useRsLora;
            return this;
        }

        /** Initialisation of {@code A}; default {@link LoraInit#KAIMING_UNIFORM}. */
        public Builder initMode(LoraInit initMode) {
            this.initMode = Objects.requireNonNull(initMode, "initMode");
            return this;
        }

        /** Whether the base projection has a bias; default true. */
        public Builder hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return this;
        }

        /** Whether the base bias is trained; default false. */
        public Builder biasTrainable(boolean biasTrainable) {
            this.biasTrainable = biasTrainable;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the field and the value received
         */
        @Override
        public LoraDenseLayer build() {
            LoraChecks.checkRank("rank", rank, nIn, nOut, layerName);
            LoraChecks.checkAlpha("alpha", alpha);
            LoraChecks.checkDropout("loraDropout", loraDropout);
            return new LoraDenseLayer(this);
        }
    }
}
