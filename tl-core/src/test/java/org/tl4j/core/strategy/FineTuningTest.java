package org.tl4j.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.testing.TinyNetworks;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;

@Timeout(120)
class FineTuningTest {

    private static final TrainingConfig FAST =
            TrainingConfig.builder().maxEpochs(2).batchSize(16).seed(7).build();

    @Test
    void fit_topOneLayer_trainsOnlyThatLayerAndTheHead() {
        PretrainedModel base = TinyNetworks.pretrained(1, false);
        FineTuning strategy = FineTuning.builder().unfreeze(Unfreeze.topLayers(1)).build();
        AdaptedModel model = strategy.adapt(base, HeadConfig.of(3), 3);
        Map<String, INDArray> before = Snapshots.params(model.graph());
        DataSet data = TinyNetworks.images(48, 3, 5);
        new Trainer(FAST).fit(model, data, data);
        Map<String, INDArray> after = Snapshots.params(model.graph());
        assertEquals(before.get("conv1"), after.get("conv1"), "conv1 must stay frozen");
        assertNotEquals(before.get("features"), after.get("features"));
        assertNotEquals(before.get("head.output"), after.get("head.output"));
    }

    @Test
    void adapt_pretrainedLayers_getLowerLearningRateThanHead() {
        PretrainedModel base = TinyNetworks.pretrained(1, false);
        FineTuning strategy =
                FineTuning.builder().learningRate(0.01).pretrainedLearningRateRatio(0.1).build();
        ComputationGraph graph = strategy.adapt(base, HeadConfig.of(3), 3).graph();
        assertEquals(0.001, learningRate(graph, "conv1"), 1e-12);
        assertEquals(0.001, learningRate(graph, "features"), 1e-12);
        assertEquals(0.01, learningRate(graph, "head.output"), 1e-12);
    }

    private static double learningRate(ComputationGraph graph, String layer) {
        LayerVertex vertex = (LayerVertex) graph.getConfiguration().getVertices().get(layer);
        BaseLayer conf = (BaseLayer) vertex.getLayerConf().getLayer();
        return ((Adam) conf.getIUpdater()).getLearningRate();
    }

    @Test
    void fit_batchNormByDefault_keepsPretrainedStatistics() {
        PretrainedModel base = TinyNetworks.pretrained(2, true);
        AdaptedModel model = FineTuning.defaults().adapt(base, HeadConfig.of(3), 3);
        INDArray before = model.graph().getLayer("bn1").params().dup();
        DataSet data = TinyNetworks.images(48, 3, 5);
        new Trainer(FAST).fit(model, data, data);
        assertEquals(before, model.graph().getLayer("bn1").params());
        assertNotEquals(
                Snapshots.params(base.graph()).get("conv1"),
                model.graph().getLayer("conv1").params());
    }

    @Test
    void fit_trainBatchNorm_updatesStatistics() {
        PretrainedModel base = TinyNetworks.pretrained(2, true);
        AdaptedModel model =
                FineTuning.builder().trainBatchNorm(true).build().adapt(base, HeadConfig.of(3), 3);
        INDArray before = model.graph().getLayer("bn1").params().dup();
        DataSet data = TinyNetworks.images(48, 3, 5);
        new Trainer(FAST).fit(model, data, data);
        assertNotEquals(before, model.graph().getLayer("bn1").params());
    }

    @Test
    void builder_callOrder_doesNotChangeTheResult() {
        FineTuning a =
                FineTuning.builder()
                        .unfreeze(Unfreeze.topLayers(1))
                        .learningRate(0.02)
                        .pretrainedLearningRateRatio(0.5)
                        .trainBatchNorm(true)
                        .build();
        FineTuning b =
                FineTuning.builder()
                        .trainBatchNorm(true)
                        .pretrainedLearningRateRatio(0.5)
                        .learningRate(0.02)
                        .unfreeze(Unfreeze.topLayers(1))
                        .build();
        assertEquals(a, b);
        PretrainedModel base = TinyNetworks.pretrained(3, true);
        ComputationGraph ga = a.adapt(base, HeadConfig.of(3), 9).graph();
        ComputationGraph gb = b.adapt(base, HeadConfig.of(3), 9).graph();
        assertEquals(ga.getConfiguration().toJson(), gb.getConfiguration().toJson());
        assertEquals(ga.params(), gb.params());
    }

    @Test
    void adapt_leavesThePretrainedGraphUntouched() {
        PretrainedModel base = TinyNetworks.pretrained(4, true);
        String json = base.graph().getConfiguration().toJson();
        INDArray params = base.graph().params().dup();
        FineTuning.defaults().adapt(base, HeadConfig.of(5), 1);
        FeatureExtraction.defaults().adapt(base, HeadConfig.of(5), 1);
        assertEquals(json, base.graph().getConfiguration().toJson());
        assertEquals(params, base.graph().params());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("fine-tuning the top 5 layers of a model with 2")
    void adapt_tooManyTopLayers_listsTheLayers() {
        PretrainedModel base = TinyNetworks.pretrained(1, false);
        FineTuning strategy = FineTuning.builder().unfreeze(Unfreeze.topLayers(5)).build();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> strategy.adapt(base, HeadConfig.of(3), 1));
        assertTrue(
                e.getMessage().contains("top 5") && e.getMessage().contains("[conv1, features]"),
                e.getMessage());
    }

    @Test
    void fromScratch_reinitialisesEveryParameter() {
        PretrainedModel base = TinyNetworks.pretrained(1, false);
        AdaptedModel model = FromScratch.defaults().adapt(base, HeadConfig.of(3), 11);
        assertNotEquals(
                base.graph().getLayer("conv1").params(), model.graph().getLayer("conv1").params());
        assertEquals(0, model.parameterCounts().frozen());
    }
}
