package org.tl4j.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.testing.TinyNetworks;
import org.tl4j.core.train.FeatureCache;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;
import org.tl4j.core.train.TrainingResult;

@Timeout(120)
class FeatureExtractionTest {

    private static final TrainingConfig FAST =
            TrainingConfig.builder().maxEpochs(3).batchSize(16).seed(7).build();

    @Test
    void fit_cachedFeatures_leavesFrozenParametersBitIdentical() {
        assertFrozenUnchanged(FeatureExtraction.defaults());
    }

    @Test
    void fit_withoutCache_leavesFrozenParametersBitIdentical() {
        assertFrozenUnchanged(FeatureExtraction.builder().cacheFeatures(false).build());
    }

    private static void assertFrozenUnchanged(FeatureExtraction strategy) {
        PretrainedModel base = TinyNetworks.pretrained(1, true);
        AdaptedModel model = strategy.adapt(base, HeadConfig.of(3), 3);
        Map<String, INDArray> before = Snapshots.params(model.graph());
        DataSet data = TinyNetworks.images(48, 3, 5);
        new Trainer(FAST).fit(model, data, data);
        Map<String, INDArray> after = Snapshots.params(model.graph());
        for (String frozen : new String[] {"conv1", "bn1", "features"}) {
            assertEquals(before.get(frozen), after.get(frozen), frozen + " changed");
        }
        assertNotEquals(before.get("head.output"), after.get("head.output"), "head did not train");
        assertEquals(before.get("conv1"), Snapshots.params(base.graph()).get("conv1"));
    }

    @Test
    void adapt_featureVertexOutput_equalsSourceNetwork() {
        PretrainedModel base = TinyNetworks.pretrained(2, true);
        AdaptedModel model = FeatureExtraction.defaults().adapt(base, HeadConfig.of(4), 3);
        INDArray input = TinyNetworks.images(5, 3, 9).getFeatures();
        INDArray expected = base.graph().feedForward(input, false).get("features");
        INDArray actual = model.graph().feedForward(input, false).get("features");
        assertEquals(expected, actual);
        assertEquals(4, model.graph().outputSingle(input).size(1));
    }

    @Test
    void fit_cachedAndUncached_trainTheSameHead() {
        PretrainedModel base = TinyNetworks.pretrained(3, false);
        DataSet data = TinyNetworks.images(40, 3, 5);
        AdaptedModel cached = FeatureExtraction.defaults().adapt(base, HeadConfig.of(3), 3);
        AdaptedModel direct =
                FeatureExtraction.builder()
                        .cacheFeatures(false)
                        .build()
                        .adapt(base, HeadConfig.of(3), 3);
        new Trainer(FAST).fit(cached, data, data);
        new Trainer(FAST).fit(direct, data, data);
        INDArray a = cached.graph().getLayer("head.output").params();
        INDArray b = direct.graph().getLayer("head.output").params();
        assertTrue(a.equalsWithEps(b, 1e-5), "cached " + a + " vs direct " + b);
    }

    @Test
    void featurize_diskCache_writesOnceAndServesTheSameFeatures(@TempDir Path dir)
            throws Exception {
        PretrainedModel base = TinyNetworks.pretrained(4, false);
        AdaptedModel model = FeatureExtraction.defaults().adapt(base, HeadConfig.of(3), 3);
        DataSet data = TinyNetworks.images(20, 3, 5);
        FeatureCache cache = FeatureCache.onDisk(dir);
        var first =
                cache.featurize(
                        model.graph(), "features", org.tl4j.core.train.Batches.toMulti(data));
        long files;
        try (var list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".features")).count();
        }
        assertEquals(1, files);
        var second =
                FeatureCache.onDisk(dir)
                        .featurize(
                                model.graph(),
                                "features",
                                org.tl4j.core.train.Batches.toMulti(data));
        assertEquals(first.getFeatures(0), second.getFeatures(0));
    }

    @Test
    void fit_tinyTask_beatsChanceAndReportsCounts() {
        PretrainedModel base = TinyNetworks.pretrained(5, false);
        AdaptedModel model =
                FeatureExtraction.builder()
                        .learningRate(0.05)
                        .build()
                        .adapt(base, HeadConfig.of(3), 3);
        DataSet data = TinyNetworks.images(60, 3, 5);
        TrainingResult result =
                new Trainer(FAST.toBuilder().maxEpochs(30).patience(30).build())
                        .fit(model, data, data);
        assertEquals(8 * 3 + 3, result.parameters().trainable());
        assertTrue(result.parameters().frozen() > 0);
        assertTrue(result.memory().peakOffHeapBytes() > 0);
        ComputationGraph graph = model.graph();
        double accuracy = Trainer.evaluate(graph, data, 32).accuracy();
        assertTrue(accuracy > 0.5, "accuracy " + accuracy);
    }
}
