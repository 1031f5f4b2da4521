package org.tl4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoraTest {

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    private static ComputationGraph trained(ComputationGraph adapted, int steps) {
        DataSet ds = LoraTestNets.data(16, 3, DataType.FLOAT);
        for (int i = 0; i < steps; i++) {
            adapted.fit(ds);
        }
        return adapted;
    }

    @Test
    void apply_freshAdapter_outputEqualsBaseExactly() {
        ComputationGraph base = LoraTestNets.mlp(1);
        INDArray x = LoraTestNets.data(8, 2, DataType.FLOAT).getFeatures();
        ComputationGraph adapted = Lora.apply(base, LoraTestNets.config());
        assertEquals(0.0, maxAbsDiff(base.outputSingle(x), adapted.outputSingle(x)));
        assertInstanceOf(LoraDenseLayerImpl.class, adapted.getLayer("fc1"));
        assertInstanceOf(LoraDenseLayerImpl.class, adapted.getLayer("q"));
    }

    @Test
    void apply_nothingTrainableUpstream_skipsInputGradientOnlyThere() {
        ComputationGraph adapted = Lora.apply(LoraTestNets.mlp(1), LoraTestNets.config());
        LoraDenseLayer fc1 = (LoraDenseLayer) adapted.getLayer("fc1").conf().getLayer();
        LoraDenseLayer q = (LoraDenseLayer) adapted.getLayer("q").conf().getLayer();
        assertFalse(fc1.isInputGradientNeeded(), "fc1 reads the network input");
        assertTrue(q.isInputGradientNeeded(), "q sits above fc1's adapter");
    }

    @Test
    void fit_afterTraining_baseParamsBitIdenticalAndOnlyAdaptersAndHeadChange() {
        ComputationGraph base = LoraTestNets.mlp(1);
        ComputationGraph adapted = Lora.apply(base, LoraTestNets.config());
        INDArray a0 = adapted.getLayer("q").getParam("A").dup();
        INDArray head0 = adapted.getLayer("out").getParam("W").dup();
        trained(adapted, 5);
        for (Layer l : base.getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            if (name.equals("out")) {
                continue;
            }
            for (Map.Entry<String, INDArray> p : l.paramTable().entrySet()) {
                INDArray after = adapted.getLayer(name).getParam(p.getKey());
                assertTrue(
                        p.getValue().equals(after) && maxAbsDiff(p.getValue(), after) == 0.0,
                        name + "_" + p.getKey() + " changed");
            }
        }
        assertTrue(maxAbsDiff(a0, adapted.getLayer("q").getParam("A")) > 0, "A unchanged");
        assertTrue(
                adapted.getLayer("q").getParam("B").amaxNumber().doubleValue() > 0, "B unchanged");
        assertTrue(maxAbsDiff(head0, adapted.getLayer("out").getParam("W")) > 0, "head frozen");
    }

    @Test
    void report_standardConfig_trainableEqualsFormula() {
        ComputationGraph adapted = Lora.apply(LoraTestNets.mlp(1), LoraTestNets.config());
        LoraReport report = Lora.report(adapted);
        // r·(in+out) per target, plus the kept head: fc1 2·(6+8), q 2·(8+8), out 5·3+3.
        long expected = 2 * (6 + 8) + 2 * (8 + 8) + (5 * 3 + 3);
        assertEquals(expected, report.trainableParams());
        long baseTotal = LoraTestNets.mlp(1).numParams();
        assertEquals(baseTotal + 2 * (6 + 8) + 2 * (8 + 8), report.totalParams());
        assertTrue(report.toString().contains("trainable params: 78"), report.toString());
    }

    @Test
    void updater_adam_stateOnlyForTrainableParams() {
        ComputationGraph adapted = Lora.apply(LoraTestNets.mlp(1), LoraTestNets.config());
        trained(adapted, 1);
        long state = adapted.getUpdater().getStateViewArray().length();
        // Adam keeps two values per trainable parameter and nothing for frozen ones.
        assertEquals(2 * Lora.report(adapted).trainableParams(), state);
    }

    @Test
    void merge_trainedAdapter_outputMatchesUnmergedAndUnmergeRestoresBase() {
        ComputationGraph base = LoraTestNets.mlp(1);
        ComputationGraph adapted = trained(Lora.apply(base, LoraTestNets.config()), 5);
        INDArray x = LoraTestNets.data(8, 2, DataType.FLOAT).getFeatures();
        INDArray unmerged = adapted.outputSingle(x);
        Lora.merge(adapted);
        assertTrue(maxAbsDiff(unmerged, adapted.outputSingle(x)) < 1e-5);
        INDArray mergedW = adapted.getLayer("q").getParam("W").dup();
        Lora.merge(adapted);
        assertEquals(
                0.0,
                maxAbsDiff(mergedW, adapted.getLayer("q").getParam("W")),
                "second merge must not add again");
        Lora.unmerge(adapted);
        assertTrue(
                maxAbsDiff(base.getLayer("q").getParam("W"), adapted.getLayer("q").getParam("W"))
                        < 1e-6);
        assertTrue(maxAbsDiff(unmerged, adapted.outputSingle(x)) < 1e-5);
    }

    @Test
    void mergeAndUnload_trainedAdapter_plainDenseGraphWithSameOutput() {
        ComputationGraph adapted =
                trained(Lora.apply(LoraTestNets.mlp(1), LoraTestNets.config()), 5);
        INDArray x = LoraTestNets.data(8, 2, DataType.FLOAT).getFeatures();
        ComputationGraph merged = Lora.mergeAndUnload(adapted);
        assertEquals(DenseLayer.class, merged.getLayer("q").conf().getLayer().getClass());
        assertTrue(Lora.loraLayers(merged).isEmpty());
        assertTrue(maxAbsDiff(adapted.outputSingle(x), merged.outputSingle(x)) < 1e-5);
        ComputationGraph again = Lora.mergeAndUnload(merged);
        assertEquals(0.0, maxAbsDiff(merged.outputSingle(x), again.outputSingle(x)));
    }

    @Test
    void setAdaptersEnabled_false_outputEqualsBase() {
        ComputationGraph base = LoraTestNets.mlp(1);
        ComputationGraph adapted =
                trained(
                        Lora.apply(base, LoraConfig.builder().rank(2).targets("fc1", "q").build()),
                        5);
        // Without a kept head, disabling the adapters must give the base model back.
        INDArray x = LoraTestNets.data(8, 2, DataType.FLOAT).getFeatures();
        assertTrue(maxAbsDiff(base.outputSingle(x), adapted.outputSingle(x)) > 1e-6);
        Lora.setAdaptersEnabled(adapted, false);
        assertEquals(0.0, maxAbsDiff(base.outputSingle(x), adapted.outputSingle(x)));
        Lora.setAdaptersEnabled(adapted, true);
        assertTrue(maxAbsDiff(base.outputSingle(x), adapted.outputSingle(x)) > 1e-6);
    }

    @Test
    void modelSerializer_adaptedGraph_roundTripsOutputsAndConfig(@TempDir Path dir)
            throws Exception {
        ComputationGraph adapted =
                trained(Lora.apply(LoraTestNets.mlp(1), LoraTestNets.config()), 3);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(adapted, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        INDArray x = LoraTestNets.data(8, 2, DataType.FLOAT).getFeatures();
        assertEquals(0.0, maxAbsDiff(adapted.outputSingle(x), restored.outputSingle(x)));
        assertEquals(adapted.getConfiguration(), restored.getConfiguration());
        LoraDenseLayer q = (LoraDenseLayer) restored.getLayer("q").conf().getLayer();
        assertEquals(2, q.getRank());
        assertEquals(4.0, q.getAlpha());
        assertEquals(
                adapted.getUpdater().getStateViewArray(),
                restored.getUpdater().getStateViewArray());
        trained(restored, 1);
    }

    @Test
    void json_layerFlags_survivesConfigurationRoundTrip() {
        ComputationGraph adapted =
                Lora.apply(
                        LoraTestNets.mlp(1),
                        LoraTestNets.config().toBuilder()
                                .dropout(0.25)
                                .useRsLora(true)
                                .init(LoraInit.GAUSSIAN)
                                .build());
        Lora.merge(adapted);
        String json = adapted.getConfiguration().toJson();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(adapted.getConfiguration(), back);
        LoraDenseLayer q =
                (LoraDenseLayer)
                        ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("q"))
                                .getLayerConf()
                                .getLayer();
        assertTrue(q.isMerged() && q.isUseRsLora());
        assertEquals(0.25, q.getLoraDropout());
        assertEquals(LoraInit.GAUSSIAN, q.getInitMode());
        assertEquals(4.0 / Math.sqrt(2), q.scaling(), 1e-12);
    }

    @Test
    void fit_loraDropout_baseFrozenAndInferenceDeterministic() {
        ComputationGraph base = LoraTestNets.mlp(1);
        ComputationGraph adapted =
                trained(
                        Lora.apply(base, LoraTestNets.config().toBuilder().dropout(0.5).build()),
                        5);
        INDArray x = LoraTestNets.data(8, 2, DataType.FLOAT).getFeatures();
        assertEquals(0.0, maxAbsDiff(adapted.outputSingle(x), adapted.outputSingle(x)));
        assertEquals(
                0.0,
                maxAbsDiff(base.getLayer("q").getParam("W"), adapted.getLayer("q").getParam("W")));
        assertTrue(adapted.getLayer("q").getParam("B").amaxNumber().doubleValue() > 0);
    }

    @Test
    void apply_sequenceInput_sameProjectionPerTimeStepAndTrains() {
        ComputationGraph base = LoraTestNets.sequence(4);
        LoraConfig config =
                LoraConfig.builder().rank(2).targets("proj").modulesToSave("out").build();
        ComputationGraph adapted = Lora.apply(base, config);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 4, 7);
        assertEquals(0.0, maxAbsDiff(base.outputSingle(x), adapted.outputSingle(x)));
        INDArray y = Nd4j.zeros(DataType.FLOAT, 3, 2, 7);
        y.get(
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                        org.nd4j.linalg.indexing.NDArrayIndex.all())
                .assign(1);
        for (int i = 0; i < 3; i++) {
            adapted.fit(new DataSet(x, y));
        }
        assertEquals(
                0.0,
                maxAbsDiff(
                        base.getLayer("proj").getParam("W"),
                        adapted.getLayer("proj").getParam("W")));
        assertEquals(
                0.0,
                maxAbsDiff(
                        base.getLayer("lstm").getParam("W"),
                        adapted.getLayer("lstm").getParam("W")));
        assertTrue(adapted.getLayer("proj").getParam("B").amaxNumber().doubleValue() > 0);
    }

    @Test
    void apply_biasLoraOnly_biasOfAdaptedLayersTrainsOthersFrozen() {
        ComputationGraph base = LoraTestNets.mlp(1);
        ComputationGraph adapted =
                trained(
                        Lora.apply(
                                base,
                                LoraTestNets.config().toBuilder().bias(LoraBias.LORA_ONLY).build()),
                        3);
        assertTrue(
                maxAbsDiff(base.getLayer("q").getParam("b"), adapted.getLayer("q").getParam("b"))
                        > 0);
        assertEquals(
                0.0,
                maxAbsDiff(base.getLayer("v").getParam("b"), adapted.getLayer("v").getParam("b")));
        assertEquals(
                0.0,
                maxAbsDiff(base.getLayer("q").getParam("W"), adapted.getLayer("q").getParam("W")));
    }

    @Test
    void apply_biasAll_frozenLayerBiasTrainsWeightsStayIdentical() {
        ComputationGraph base = LoraTestNets.mlp(1);
        ComputationGraph adapted =
                trained(
                        Lora.apply(
                                base, LoraTestNets.config().toBuilder().bias(LoraBias.ALL).build()),
                        3);
        assertTrue(
                maxAbsDiff(base.getLayer("v").getParam("b"), adapted.getLayer("v").getParam("b"))
                        > 0);
        assertEquals(
                0.0,
                maxAbsDiff(base.getLayer("v").getParam("W"), adapted.getLayer("v").getParam("W")));
        assertEquals("partial", Lora.report(adapted).layers().get(2).role());
    }

    @Test
    void apply_rankOverride_firstMatchingPatternWins() {
        LoraConfig config =
                LoraTestNets.config().toBuilder()
                        .rankOverride("q", 4)
                        .alphaOverride("f.*", 1.0)
                        .build();
        ComputationGraph adapted = Lora.apply(LoraTestNets.mlp(1), config);
        LoraDenseLayer q = (LoraDenseLayer) adapted.getLayer("q").conf().getLayer();
        LoraDenseLayer fc1 = (LoraDenseLayer) adapted.getLayer("fc1").conf().getLayer();
        assertEquals(4, q.getRank());
        assertEquals(2, fc1.getRank());
        assertEquals(0.5, fc1.scaling(), 1e-12);
        assertFalse(q.isBiasTrainable());
    }

    @Test
    void apply_multiLayerNetwork_adaptsConvertedGraph() {
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork mln =
                new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(
                        new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                                .seed(3)
                                .list()
                                .layer(new DenseLayer.Builder().nIn(6).nOut(4).build())
                                .layer(
                                        new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                                                .nIn(4)
                                                .nOut(3)
                                                .build())
                                .build());
        mln.init();
        ComputationGraph graph = mln.toComputationGraph();
        String first = graph.getLayer(0).conf().getLayer().getLayerName();
        ComputationGraph adapted =
                Lora.apply(mln, LoraConfig.builder().rank(2).targets(first).build());
        INDArray x = LoraTestNets.data(4, 1, DataType.FLOAT).getFeatures();
        assertEquals(0.0, maxAbsDiff(mln.output(x), adapted.outputSingle(x)));
        assertEquals(2 * (6 + 4), Lora.report(adapted).trainableParams());
    }

    @Test
    void apply_featureExtractorFrozenBase_unwrapsTargetsAndTrainsAdapters() {
        ComputationGraph base = LoraTestNets.mlp(1);
        ComputationGraph frozen =
                new org.deeplearning4j.nn.transferlearning.TransferLearning.GraphBuilder(base)
                        .setFeatureExtractor("q")
                        .build();
        ComputationGraph adapted = trained(Lora.apply(frozen, LoraTestNets.config()), 3);
        assertInstanceOf(LoraDenseLayerImpl.class, adapted.getLayer("fc1"));
        assertEquals(
                0.0,
                maxAbsDiff(
                        base.getLayer("fc1").getParam("W"), adapted.getLayer("fc1").getParam("W")));
        assertTrue(
                adapted.getLayer("fc1").getParam("B").amaxNumber().doubleValue() > 0,
                "fc1's adapter must receive gradients through q");
        assertEquals(78, Lora.report(adapted).trainableParams());
    }

    @Test
    void getMemoryReport_loraLayer_countsAllParamsButOnlyAdapterState() {
        ComputationGraph adapted = Lora.apply(LoraTestNets.mlp(1), LoraTestNets.config());
        LoraDenseLayer q = (LoraDenseLayer) adapted.getLayer("q").conf().getLayer();
        org.deeplearning4j.nn.conf.memory.LayerMemoryReport report =
                q.getMemoryReport(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(8));
        assertEquals(8 * 8 + 8 + 2 * (8 + 8), report.getParameterSize());
        // Adam: two values per trainable parameter (A and B only).
        assertEquals(2 * 2 * (8 + 8), report.getUpdaterStateSize());
    }
}
