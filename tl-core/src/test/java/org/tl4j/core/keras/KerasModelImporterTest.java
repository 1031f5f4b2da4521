package org.tl4j.core.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.tl4j.core.io.ModelFiles;
import org.tl4j.core.lora.Lora;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.lora.LoraDenseLayer;

/** Keras encoder blocks imported from HDF5 against NumPy's outputs, and LoRA on the result. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KerasModelImporterTest {

    private static final List<String> MHA_VERTICES =
            List.of("mha.query", "mha.key", "mha.value", "mha.attention", "mha.output");

    @ParameterizedTest
    @ValueSource(strings = {"encoder-block-bias", "encoder-block-nobias"})
    void importModel_encoderBlock_matchesNumpyWithin1e4(String fixture) {
        ImportedKerasModel m = KerasModelImporter.importModel(KerasFixtures.path(fixture + ".h5"));
        INDArray x = KerasFixtures.npy(fixture + "-x.npy");
        INDArray mask = KerasFixtures.npy(fixture + "-mask.npy");
        INDArray expected = KerasFixtures.npy(fixture + "-expected.npy");

        INDArray out = m.graph().output(x, mask)[0];

        assertArrayEquals(expected.shape(), out.shape());
        double maxError = Transforms.abs(out.sub(expected)).maxNumber().doubleValue();
        System.out.printf("%s: max abs error vs NumPy %.3e%n", fixture, maxError);
        assertTrue(maxError < 1e-4, fixture + ": max abs error " + maxError);
    }

    @Test
    void importedGraph_saveAndLoad_givesTheSameOutput(@TempDir Path dir) throws IOException {
        String fixture = "encoder-block-bias";
        ImportedKerasModel m = KerasModelImporter.importModel(KerasFixtures.path(fixture + ".h5"));
        INDArray x = KerasFixtures.npy(fixture + "-x.npy");
        INDArray mask = KerasFixtures.npy(fixture + "-mask.npy");
        Path file = dir.resolve("imported.zip");
        ModelFiles.save(m.graph(), file);
        ComputationGraph loaded = ModelFiles.load(file);
        assertEquals(m.graph().getConfiguration(), loaded.getConfiguration());
        assertEquals(m.graph().output(x, mask)[0], loaded.output(x, mask)[0]);
    }

    @Test
    void importModel_maskedKeys_changeTheOutput() {
        // Guards against a mask that is read but ignored: unmasking must change padded rows
        String fixture = "encoder-block-bias";
        ImportedKerasModel m = KerasModelImporter.importModel(KerasFixtures.path(fixture + ".h5"));
        INDArray x = KerasFixtures.npy(fixture + "-x.npy");
        INDArray mask = KerasFixtures.npy(fixture + "-mask.npy");
        INDArray masked = m.graph().output(x, mask)[0];
        INDArray unmasked = m.graph().output(x, Nd4j.onesLike(mask))[0];
        assertTrue(Transforms.abs(masked.sub(unmasked)).maxNumber().doubleValue() > 1e-2);
    }

    @Test
    void importModel_multiHeadAttention_becomesNamedDenseProjections() {
        ImportedKerasModel m =
                KerasModelImporter.importModel(KerasFixtures.path("encoder-block-bias.h5"));
        assertEquals(MHA_VERTICES, m.vertices().get("mha"));
        assertEquals(List.of(), m.vertices().get("drop"));
        assertEquals(List.of("x", "mask"), m.inputs());
        assertEquals(List.of("norm2.sequence"), m.outputs());
        for (String p : List.of("mha.query", "mha.key", "mha.value", "mha.output")) {
            assertInstanceOf(DenseLayer.class, m.graph().getLayer(p).conf().getLayer(), p);
        }
        // heads 2 x key_dim 3, heads 2 x value_dim 5, back to hidden 8
        assertArrayEquals(new long[] {8, 6}, m.graph().getLayer("mha.query").getParam("W").shape());
        assertArrayEquals(
                new long[] {8, 10}, m.graph().getLayer("mha.value").getParam("W").shape());
        assertArrayEquals(
                new long[] {10, 8}, m.graph().getLayer("mha.output").getParam("W").shape());
    }

    @Test
    void loraOnImportedModel_fit_trainsOnlyAdaptersAndHead() {
        String fixture = "encoder-block-nobias";
        ImportedKerasModel m = KerasModelImporter.importModel(KerasFixtures.path(fixture + ".h5"));
        ComputationGraph classifier = KerasFixtures.withHead(m.graph(), new Adam(1e-2));
        ComputationGraph adapted =
                Lora.apply(
                        classifier,
                        LoraConfig.builder()
                                .rank(2)
                                .alpha(4)
                                .targets("mha\\.(query|value)")
                                .modulesToSave("head")
                                .build());
        assertInstanceOf(LoraDenseLayer.class, adapted.getLayer("mha.query").conf().getLayer());
        Map<String, INDArray> before = frozenParams(adapted);
        INDArray headBefore = adapted.getLayer("head").params().dup();
        INDArray adaptersBefore = adapterParams(adapted);

        MultiDataSet data = batch(fixture);
        for (int i = 0; i < 5; i++) {
            adapted.fit(data);
        }

        assertFalse(before.isEmpty());
        for (Map.Entry<String, INDArray> e : before.entrySet()) {
            assertEquals(e.getValue(), paramsByName(adapted).get(e.getKey()), e.getKey());
        }
        assertFalse(headBefore.equals(adapted.getLayer("head").params()), "head did not train");
        assertFalse(adaptersBefore.equals(adapterParams(adapted)), "adapters did not train");
    }

    private static MultiDataSet batch(String fixture) {
        INDArray x = KerasFixtures.npy(fixture + "-x.npy");
        INDArray mask = KerasFixtures.npy(fixture + "-mask.npy");
        INDArray labels = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {1, 0}});
        return new MultiDataSet(new INDArray[] {x, mask}, new INDArray[] {labels});
    }

    /** Every parameter except the head's and the LoRA adapters' A and B, copied. */
    private static Map<String, INDArray> frozenParams(ComputationGraph g) {
        Map<String, INDArray> out = new HashMap<>();
        paramsByName(g)
                .forEach(
                        (k, v) -> {
                            boolean adapter = k.endsWith("_A") || k.endsWith("_B");
                            if (!k.startsWith("head_") && !adapter) {
                                out.put(k, v.dup());
                            }
                        });
        return out;
    }

    private static INDArray adapterParams(ComputationGraph g) {
        Layer q = g.getLayer("mha.query");
        List<INDArray> parts =
                q.paramTable().entrySet().stream()
                        .filter(e -> !e.getKey().equals("W") && !e.getKey().equals("b"))
                        .map(e -> e.getValue().dup().reshape(-1))
                        .toList();
        return Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    private static Map<String, INDArray> paramsByName(ComputationGraph g) {
        return g.paramTable();
    }
}
