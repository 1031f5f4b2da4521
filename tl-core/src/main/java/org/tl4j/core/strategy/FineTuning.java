package org.tl4j.core.strategy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;
import org.tl4j.core.model.GraphVertices;
import org.tl4j.core.model.PretrainedModel;

/**
 * Fine-tuning: a new head, and some or all pretrained layers trained too, with a lower learning
 * rate than the head so that pretrained features are adjusted rather than overwritten.
 *
 * <p>BatchNorm layers among the trained pretrained layers keep their pretrained statistics and run
 * in inference mode (as Keras does for fine-tuning) unless {@link Builder#trainBatchNorm(boolean)}
 * is set: with few labelled examples, batch statistics are too noisy to replace statistics
 * estimated on the pretraining data.
 *
 * @param learningRate Adam learning rate of the new head; in (0, 1]; default 1e-3
 * @param pretrainedLearningRateRatio learning rate of the pretrained layers divided by the head's;
 *     in (0, 1]; default 0.1
 * @param unfreeze which pretrained layers train; default {@link Unfreeze#all()}
 * @param trainBatchNorm whether BatchNorm layers update their statistics and scale/shift; default
 *     false
 */
public record FineTuning(
        double learningRate,
        double pretrainedLearningRateRatio,
        Unfreeze unfreeze,
        boolean trainBatchNorm)
        implements TransferStrategy {

    /** The name used in reports. */
    public static final String NAME = "fine-tuning";

    /** Validates the fields. */
    public FineTuning {
        Strategies.checkLearningRate("learningRate", learningRate);
        if (!(pretrainedLearningRateRatio > 0 && pretrainedLearningRateRatio <= 1)) {
            throw new IllegalArgumentException(
                    "pretrainedLearningRateRatio must be in (0, 1],"
                            + " got "
                            + pretrainedLearningRateRatio);
        }
        Objects.requireNonNull(unfreeze, "unfreeze");
    }

    /** Default settings: every layer, head rate 1e-3, pretrained rate 1e-4, BatchNorm frozen. */
    public static FineTuning defaults() {
        return builder().build();
    }

    /** Starts a configuration with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder()
                .learningRate(learningRate)
                .pretrainedLearningRateRatio(pretrainedLearningRateRatio)
                .unfreeze(unfreeze)
                .trainBatchNorm(trainBatchNorm);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdaptedModel adapt(PretrainedModel base, HeadConfig head, long seed) {
        Optional<String> freezeThrough = freezePoint(base);
        HeadGraft.Result grafted = HeadGraft.graft(base, head, freezeThrough, learningRate, seed);
        Set<String> pretrained = base.graph().getConfiguration().getVertices().keySet();
        ComputationGraph graph =
                HeadGraft.withEditedConfiguration(
                        grafted.graph(), conf -> slowDownPretrained(conf, pretrained));
        return new AdaptedModel(NAME, base, head, graph, grafted.headLayers(), false);
    }

    /** The vertex through which everything is frozen, if any. */
    Optional<String> freezePoint(PretrainedModel base) {
        if (unfreeze instanceof Unfreeze.After after) {
            GraphVertices.require(base.graph(), "unfreeze", after.vertex());
            return Optional.of(after.vertex());
        }
        if (unfreeze instanceof Unfreeze.TopLayers top) {
            List<String> layers = pretrainedLayers(base);
            if (top.count() > layers.size()) {
                throw new IllegalArgumentException(
                        "unfreeze: top "
                                + top.count()
                                + " layers asked for, but "
                                + base.name()
                                + " has only "
                                + layers.size()
                                + " pretrained layers with parameters: "
                                + layers);
            }
            int frozenTop = layers.size() - 1 - top.count();
            return frozenTop < 0 ? Optional.empty() : Optional.of(layers.get(frozenTop));
        }
        return Optional.empty();
    }

    /** Parameterised layers from the input up to the feature vertex, in topological order. */
    public static List<String> pretrainedLayers(PretrainedModel base) {
        Set<String> belowFeatures =
                GraphVertices.ancestorsInclusive(base.graph(), base.featureVertex());
        return GraphVertices.parameterisedLayers(base.graph()).stream()
                .filter(belowFeatures::contains)
                .toList();
    }

    private void slowDownPretrained(ComputationGraphConfiguration conf, Set<String> pretrained) {
        double rate = learningRate * pretrainedLearningRateRatio;
        for (String name : pretrained) {
            if (!(conf.getVertices().get(name) instanceof LayerVertex vertex)) {
                continue;
            }
            Layer layer = vertex.getLayerConf().getLayer();
            if (layer instanceof BatchNormalization bn && !trainBatchNorm) {
                FrozenLayerWithBackprop frozen = new FrozenLayerWithBackprop(bn);
                // Without its own name the wrapper loses the vertex's name in JSON, and a saved
                // model then fails to load.
                frozen.setLayerName(name);
                vertex.getLayerConf().setLayer(frozen);
                // DL4J M2.1's BatchNormalization backprop in inference mode reads an array from a
                // closed workspace ("outdated workspace pointer"); training without workspaces
                // avoids it at some speed cost.
                conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
            } else if (layer instanceof BaseLayer trainable) {
                trainable.setIUpdater(new Adam(rate));
                if (trainable.getBiasUpdater() != null) {
                    trainable.setBiasUpdater(new Adam(rate));
                }
            }
        }
    }

    /** Builder for {@link FineTuning}; the order of the calls does not matter. */
    public static final class Builder {
        private double learningRate = 1e-3;
        private double pretrainedLearningRateRatio = 0.1;
        private Unfreeze unfreeze = Unfreeze.all();
        private boolean trainBatchNorm;

        /** Adam learning rate of the new head, in (0, 1]; default 1e-3. */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Pretrained-layer learning rate divided by the head's, in (0, 1]; default 0.1. */
        public Builder pretrainedLearningRateRatio(double ratio) {
            this.pretrainedLearningRateRatio = ratio;
            return this;
        }

        /** Which pretrained layers train; default all. */
        public Builder unfreeze(Unfreeze unfreeze) {
            this.unfreeze = unfreeze;
            return this;
        }

        /** Whether BatchNorm layers train; default false. */
        public Builder trainBatchNorm(boolean trainBatchNorm) {
            this.trainBatchNorm = trainBatchNorm;
            return this;
        }

        /** Validates and builds. */
        public FineTuning build() {
            return new FineTuning(
                    learningRate, pretrainedLearningRateRatio, unfreeze, trainBatchNorm);
        }
    }
}
