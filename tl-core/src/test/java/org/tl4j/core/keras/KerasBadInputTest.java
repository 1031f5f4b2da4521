package org.tl4j.core.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not importable Keras models fail with a message naming what is wrong. */
@Tag("bad-input")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KerasBadInputTest {

    @TempDir Path dir;

    @Test
    void importModel_hdf5WithoutModelConfig_saysItIsNotAKerasModel() {
        Path file = KerasFixtures.path("not-a-keras-model.h5");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> KerasModelImporter.importModel(file));
        assertContains(e.getMessage(), "not a Keras model", "'model_config'", "[title]", ".h5");
    }

    @Test
    void importModel_keras3Zip_namesTheSupportedFormat() {
        Path file = KerasFixtures.path("keras3-model.keras");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> KerasModelImporter.importModel(file));
        assertContains(e.getMessage(), "zip archive", "Keras 3", "Keras 2", "HDF5 (.h5");
    }

    @Test
    void importModel_textFile_saysItIsNotHdf5() throws IOException {
        Path file = Files.writeString(dir.resolve("model.h5"), "not a model");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> KerasModelImporter.importModel(file));
        assertContains(e.getMessage(), "is not an HDF5 file", "6e 6f 74", "Keras 2");
    }

    @Test
    void importModel_truncatedHdf5_saysItCannotBeOpened() throws IOException {
        byte[] whole = Files.readAllBytes(KerasFixtures.path("encoder-block-bias.h5"));
        Path file = Files.write(dir.resolve("truncated.h5"), java.util.Arrays.copyOf(whole, 600));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> KerasModelImporter.importModel(file));
        assertContains(e.getMessage(), "truncated.h5", "cannot be opened");
    }

    @Test
    void importModel_missingFile_namesThePath() {
        Path file = dir.resolve("absent.h5");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> KerasModelImporter.importModel(file));
        assertContains(e.getMessage(), "not found", "absent.h5");
    }

    @Test
    void importModel_unknownLayers_listsEveryOneAtOnce() {
        Path file = KerasFixtures.path("unknown-layers.h5");
        UnsupportedKerasModelException e =
                assertThrows(
                        UnsupportedKerasModelException.class,
                        () -> KerasModelImporter.importModel(file));
        List<String> names = e.problems().stream().map(KerasLayerProblem::layerName).toList();
        assertEquals(List.of("gate", "scale", "gate2"), names);
        assertContains(
                e.getMessage(),
                "3 layer(s)",
                "'gate' (MyGatedUnit)",
                "'scale' (Lambda)",
                "'gate2' (MyGatedUnit)",
                "Supported Keras classes: InputLayer, Dense");
    }

    @Test
    void scan_unknownLayers_groupsLayersByClassWithoutReadingWeights() {
        KerasModelScan scan = KerasModelScan.scan(KerasFixtures.path("unknown-layers.h5"));
        assertEquals(
                Map.of("MyGatedUnit", List.of("gate", "gate2"), "Lambda", List.of("scale")),
                scan.unsupportedClasses());
        assertEquals("2.11.0", scan.kerasVersion());
    }

    @Test
    void scan_registryWithCustomImporter_acceptsTheClass() {
        KerasLayerRegistry registry =
                KerasLayerRegistry.defaults().toBuilder()
                        .register("MyGatedUnit", c -> c.input())
                        .register("Lambda", c -> c.input())
                        .build();
        KerasModelScan scan =
                KerasModelScan.scan(KerasFixtures.path("unknown-layers.h5"), registry);
        assertEquals(List.of(), scan.problems());
    }

    @Test
    void importModel_weightShapeMismatch_namesLayerWeightAndShapes() {
        Path file = KerasFixtures.path("wrong-weight-shape.h5");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> KerasModelImporter.importModel(file));
        assertContains(
                e.getMessage(),
                "'mha' (MultiHeadAttention)",
                "'mha/value/kernel:0'",
                "[8, 2, 6]",
                "implies [8, 2, 5]");
    }

    @Test
    void register_inputLayer_isRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                KerasLayerRegistry.defaults().toBuilder()
                                        .register("InputLayer", c -> c.input()));
        assertContains(e.getMessage(), "InputLayer");
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message lacks '" + p + "': " + message);
        }
    }
}
