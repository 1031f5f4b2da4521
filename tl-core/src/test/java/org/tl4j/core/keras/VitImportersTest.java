package org.tl4j.core.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.tl4j.core.io.ModelFiles;
import org.tl4j.core.lora.Lora;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.lora.LoraDenseLayer;
import org.tl4j.core.lora.LoraReport;

/**
 * The tiny Keras ViT fixture (vit-keras layout, written by {@code scripts/make_keras_fixtures.py})
 * imported against NumPy's output, and LoRA on the imported model.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VitImportersTest {

    private static final String VIT = "vit-tiny";
    private static final String SLICE = "tf.__operators__.getitem";
    private static final int HIDDEN = 8;
    private static final int CLASSES = 3;

    @Test
    void importModel_tinyVit_matchesNumpyWithin1e4() {
        ImportedKerasModel m = KerasModelImporter.importModel(KerasFixtures.path(VIT + ".h5"));
        INDArray x = KerasFixtures.npy(VIT + "-x.npy");
        INDArray expected = KerasFixtures.npy(VIT + "-expected.npy");

        INDArray out = m.graph().output(x)[0];

        assertArrayEquals(expected.shape(), out.shape());
        double maxError = Transforms.abs(out.sub(expected)).maxNumber().doubleValue();
        System.out.printf("%s: max abs error vs NumPy %.3e%n", VIT, maxError);
        assertTrue(maxError < 1e-4, VIT + ": max abs error " + maxError);
    }

    @Test
    void importModel_tinyVit_patchEmbeddingAndAttentionBecomeNamedLayers() {
        ImportedKerasModel m = KerasModelImporter.importModel(KerasFixtures.path(VIT + ".h5"));
        assertEquals(List.of("image"), m.inputs());
        assertEquals(List.of("head"), m.outputs());
        assertEquals(List.of("embedding.patches", "embedding"), m.vertices().get("embedding"));
        assertEquals(List.of("class_token", "class_token.tokens"), m.vertices().get("class_token"));
        assertEquals(List.of("posembed_input"), m.vertices().get("posembed_input"));
        for (String p : List.of("embedding", "block_mha.query", "block_mha.value")) {
            assertInstanceOf(DenseLayer.class, m.graph().getLayer(p).conf().getLayer(), p);
        }
        // patch 4 x 4 x 3 channels -> hidden 8
        assertArrayEquals(
                new long[] {48, HIDDEN}, m.graph().getLayer("embedding").getParam("W").shape());
    }

    @Test
    void importedVit_saveAndLoad_givesTheSameOutput(@TempDir Path dir) throws IOException {
        ImportedKerasModel m = KerasModelImporter.importModel(KerasFixtures.path(VIT + ".h5"));
        INDArray x = KerasFixtures.npy(VIT + "-x.npy");
        Path file = dir.resolve("imported-vit.zip");
        ModelFiles.save(m.graph(), file);
        ComputationGraph loaded = ModelFiles.load(file);
        assertEquals(m.graph().getConfiguration(), loaded.getConfiguration());
        assertEquals(m.graph().output(x)[0], loaded.output(x)[0]);
    }

    @Test
    void importModel_imagesInAnotherOrder_changeTheOutput() {
        // Guards against a patch order that ignores where pixels are: swapping two patches of
        // one image must change its class scores (position embeddings differ per patch)
        ImportedKerasModel m = KerasModelImporter.importModel(KerasFixtures.path(VIT + ".h5"));
        INDArray x = KerasFixtures.npy(VIT + "-x.npy");
        INDArray swapped = x.dup();
        INDArray topLeft = x.get(idx(0), idx(0, 4), idx(0, 4), NDArrayIndex.all()).dup();
        INDArray topRight = x.get(idx(0), idx(0, 4), idx(4, 8), NDArrayIndex.all()).dup();
        swapped.get(idx(0), idx(0, 4), idx(0, 4), NDArrayIndex.all()).assign(topRight);
        swapped.get(idx(0), idx(0, 4), idx(4, 8), NDArrayIndex.all()).assign(topLeft);
        INDArray a = m.graph().output(x)[0];
        INDArray b = m.graph().output(swapped)[0];
        assertTrue(Transforms.abs(a.sub(b)).maxNumber().doubleValue() > 1e-3);
    }

    @Test
    void loraOnImportedVit_fit_trainsOnlyAdaptersAndHead() {
        ImportedKerasModel m = KerasModelImporter.importModel(KerasFixtures.path(VIT + ".h5"));
        int rank = 2;
        ComputationGraph adapted =
                Lora.apply(
                        withOutputLayer(m.graph()),
                        LoraConfig.builder()
                                .rank(rank)
                                .alpha(4)
                                .targets("block_mha\\.(query|value)")
                                .modulesToSave("classifier")
                                .build());
        assertInstanceOf(
                LoraDenseLayer.class, adapted.getLayer("block_mha.value").conf().getLayer());

        // query and value: 8 -> 2 heads x 4, so A [8, r] and B [r, 8]; classifier 8 x 3 + 3
        LoraReport report = Lora.report(adapted);
        long expected = 2L * rank * (HIDDEN + HIDDEN) + (HIDDEN * CLASSES + CLASSES);
        assertEquals(expected, report.trainableParams());
        assertEquals(m.graph().numParams() - (HIDDEN * CLASSES + CLASSES), frozenCount(adapted));

        Map<String, INDArray> before = frozenParams(adapted);
        Map<String, INDArray> adaptersBefore = adapterParams(adapted);
        DataSet data = batch();
        for (int i = 0; i < 5; i++) {
            adapted.fit(data);
        }

        for (Map.Entry<String, INDArray> e : before.entrySet()) {
            assertEquals(e.getValue(), adapted.paramTable().get(e.getKey()), e.getKey());
        }
        adapterParams(adapted)
                .forEach(
                        (k, v) ->
                                assertFalse(v.equals(adaptersBefore.get(k)), k + " did not train"));
    }

    @Test
    @Tag("bad-input")
    void importModel_vitPositionTableOfWrongLength_namesLayerWeightAndShapes() {
        Path file = KerasFixtures.path("vit-wrong-weight-shape.h5");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> KerasModelImporter.importModel(file));
        assertContains(
                e.getMessage(),
                "'posembed_input' (AddPositionEmbs)",
                "'posembed_input/pos_embedding:0'",
                "[1, 6, 8]",
                "implies [1, 5, 8]");
    }

    @Test
    @Tag("bad-input")
    void scan_convolutionAndSliceThatAreNotViTLayers_listsBoth() {
        String json =
                """
                {"class_name": "Functional", "config": {"name": "cnn",
                 "layers": [
                  {"class_name": "InputLayer", "name": "image", "inbound_nodes": [],
                   "config": {"batch_input_shape": [null, 8, 8, 1], "name": "image"}},
                  {"class_name": "Conv2D", "name": "conv",
                   "config": {"name": "conv", "filters": 4, "kernel_size": [3, 3],
                              "strides": [1, 1], "padding": "same"},
                   "inbound_nodes": [[["image", 0, 0, {}]]]},
                  {"class_name": "SlicingOpLambda", "name": "last",
                   "config": {"name": "last", "function": "__operators__.getitem"},
                   "inbound_nodes": [["conv", 0, 0, {"slice_spec": [
                      {"start": null, "stop": null, "step": null}, -1]}]]}
                 ],
                 "input_layers": [["image", 0, 0]], "output_layers": [["last", 0, 0]]}}
                """;
        KerasModelScan scan =
                KerasModelScan.scan(
                        Path.of("inline.h5"),
                        KerasModelConfig.parse("inline.h5", "2.11.0", json),
                        KerasLayerRegistry.defaults());
        List<String> problems = scan.problems().stream().map(Object::toString).toList();
        assertEquals(3, problems.size(), problems.toString());
        assertContains(problems.get(0), "'conv' (Conv2D)", "kernel_size [3,3]", "strides [1,1]");
        assertContains(problems.get(1), "'conv' (Conv2D)", "padding must be 'valid'", "same");
        assertContains(problems.get(2), "'last' (SlicingOpLambda)", "x[:, 0]", "-1]");
    }

    /**
     * The imported ViT with its Dense head replaced by a softmax OutputLayer {@code classifier}.
     */
    private static ComputationGraph withOutputLayer(ComputationGraph base) {
        return new TransferLearning.GraphBuilder(base)
                .fineTuneConfiguration(
                        new FineTuneConfiguration.Builder().updater(new Adam(1e-2)).seed(7).build())
                .removeVertexAndConnections("head")
                .addLayer(
                        "classifier",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(HIDDEN)
                                .nOut(CLASSES)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        SLICE)
                .setOutputs("classifier")
                .build();
    }

    private static DataSet batch() {
        INDArray x = KerasFixtures.npy(VIT + "-x.npy");
        INDArray labels = Nd4j.createFromArray(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        return new DataSet(x, labels);
    }

    private static boolean isAdapter(String param) {
        return param.endsWith("_A") || param.endsWith("_B");
    }

    private static long frozenCount(ComputationGraph g) {
        return g.paramTable().entrySet().stream()
                .filter(e -> !isAdapter(e.getKey()) && !e.getKey().startsWith("classifier_"))
                .mapToLong(e -> e.getValue().length())
                .sum();
    }

    /** Every parameter except the classifier's and the adapters', copied. */
    private static Map<String, INDArray> frozenParams(ComputationGraph g) {
        Map<String, INDArray> out = new HashMap<>();
        g.paramTable()
                .forEach(
                        (k, v) -> {
                            if (!isAdapter(k) && !k.startsWith("classifier_")) {
                                out.put(k, v.dup());
                            }
                        });
        return out;
    }

    private static Map<String, INDArray> adapterParams(ComputationGraph g) {
        Map<String, INDArray> out = new HashMap<>();
        g.paramTable()
                .forEach(
                        (k, v) -> {
                            if (isAdapter(k)) {
                                out.put(k, v.dup());
                            }
                        });
        return out;
    }

    private static INDArrayIndex idx(long... range) {
        return range.length == 1
                ? NDArrayIndex.point(range[0])
                : NDArrayIndex.interval(range[0], range[1]);
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message lacks '" + p + "': " + message);
        }
    }
}
