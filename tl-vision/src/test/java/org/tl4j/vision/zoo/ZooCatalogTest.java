package org.tl4j.vision.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.core.io.ModelFiles;
import org.tl4j.core.model.PretrainedModel;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZooCatalogTest {

    private static final String REL = "models/tiny/tiny_dl4j_inference.v1.zip";

    @TempDir Path mirror;
    @TempDir Path cache;

    private static ComputationGraph tinyGraph() {
        ComputationGraph g =
                new ComputationGraph(
                        new NeuralNetConfiguration.Builder()
                                .seed(3)
                                .graphBuilder()
                                .addInputs("in")
                                .addLayer(
                                        "features",
                                        new DenseLayer.Builder()
                                                .nOut(5)
                                                .activation(Activation.TANH)
                                                .build(),
                                        "in")
                                .addLayer(
                                        "output",
                                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                                .nOut(2)
                                                .activation(Activation.SOFTMAX)
                                                .build(),
                                        "features")
                                .setOutputs("output")
                                .setInputTypes(InputType.feedForward(4))
                                .build());
        g.init();
        return g;
    }

    /** Saves the tiny graph into the mirror and returns a catalog entry with its checksum. */
    private ZooEntry publishTiny(ComputationGraph g) throws IOException {
        Path file = mirror.resolve(REL);
        ModelFiles.save(g, file);
        return tinyEntry(PretrainedWeights.adler32(file));
    }

    private static ZooEntry tinyEntry(long checksum) {
        return ZooEntry.builder("tiny")
                .relativePath(REL)
                .checksum(checksum)
                .inputType(InputType.feedForward(4))
                .featureVertex("features")
                .headVertices("output")
                .build();
    }

    private PretrainedWeights weights() {
        return PretrainedWeights.builder()
                .cacheDirectory(cache)
                .baseUrl(mirror.toUri().toString())
                .build();
    }

    @Test
    void load_fromFileMirror_downloadsVerifiesAndGivesSameOutputs() throws IOException {
        ComputationGraph original = tinyGraph();
        ZooCatalog catalog = ZooCatalog.builder().add(publishTiny(original)).build();
        PretrainedModel model = catalog.load("tiny", weights());
        Path cached = cache.resolve("tiny").resolve("tiny_dl4j_inference.v1.zip");
        assertTrue(Files.isRegularFile(cached));
        assertEquals(List.of("output"), model.headVertices());
        INDArray x = Nd4j.rand(3, 4);
        assertEquals(original.outputSingle(x), model.graph().outputSingle(x));
        try (Stream<Path> files = Files.list(cached.getParent())) {
            assertEquals(List.of(cached), files.toList(), "no temp files left behind");
        }
    }

    @Test
    @Tag("bad-input")
    @DisplayName("cached zoo weights with a wrong checksum")
    void fetch_cachedFileWithWrongChecksum_throwsAndKeepsUserFile() throws IOException {
        ZooEntry entry = publishTiny(tinyGraph());
        Path userFile = cache.resolve("tiny").resolve("tiny_dl4j_inference.v1.zip");
        Files.createDirectories(userFile.getParent());
        byte[] userBytes = "the user's own file".getBytes();
        Files.write(userFile, userBytes);
        long actual = PretrainedWeights.adler32(userFile);
        IOException e = assertThrows(IOException.class, () -> weights().fetch(entry));
        assertEquals(
                "cached weights file "
                        + userFile.toAbsolutePath()
                        + " has Adler32 checksum "
                        + actual
                        + " but entry 'tiny' expects "
                        + entry.checksum()
                        + ". The file was left in place; replace it with the right file, or delete"
                        + " it to download again",
                e.getMessage());
        assertArrayEquals(userBytes, Files.readAllBytes(userFile));
    }

    @Test
    @Tag("bad-input")
    @DisplayName("downloaded zoo weights with a wrong checksum")
    void fetch_mirrorFileWithWrongChecksum_rejectedAndNothingCached() throws IOException {
        Path file = mirror.resolve(REL);
        ModelFiles.save(tinyGraph(), file);
        ZooEntry entry = tinyEntry(PretrainedWeights.adler32(file) ^ 1);
        IOException e = assertThrows(IOException.class, () -> weights().fetch(entry));
        assertTrue(
                e.getMessage().contains("have Adler32 checksum " + PretrainedWeights.adler32(file)),
                e.getMessage());
        assertFalse(Files.exists(weights().cachedFile(entry)));
        assertTrue(Files.exists(file), "the mirror's file is never touched");
    }

    @Test
    @Tag("bad-input")
    @DisplayName("zoo download with no network and no cache")
    void fetch_offlineWithoutCache_messageNamesExactPathAndMirrorSetting() {
        ZooEntry entry = tinyEntry(123L);
        PretrainedWeights offline =
                PretrainedWeights.builder()
                        .cacheDirectory(cache)
                        .baseUrl("http://127.0.0.1:9/")
                        .build();
        IOException e = assertThrows(IOException.class, () -> offline.fetch(entry));
        Path expected = cache.resolve("tiny").resolve("tiny_dl4j_inference.v1.zip");
        assertTrue(
                e.getMessage()
                        .contains(
                                "put the file at " + expected.toAbsolutePath() + " (Adler32 123)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("http://127.0.0.1:9/" + REL), e.getMessage());
        assertTrue(e.getMessage().contains("-Dtl4j.zoo.mirror=URL"), e.getMessage());
        assertFalse(Files.exists(expected));
    }

    @Test
    @Tag("bad-input")
    @DisplayName("zoo entry naming a vertex the weights lack")
    void load_featureVertexMissingInLoadedGraph_listsVertices() throws IOException {
        Path file = mirror.resolve(REL);
        ModelFiles.save(tinyGraph(), file);
        ZooEntry wrong =
                ZooEntry.builder("tiny")
                        .relativePath(REL)
                        .checksum(PretrainedWeights.adler32(file))
                        .inputType(InputType.feedForward(4))
                        .featureVertex("fc2")
                        .headVertices("output")
                        .build();
        ZooCatalog catalog = ZooCatalog.builder().add(wrong).build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> catalog.load("tiny", weights()));
        assertTrue(
                e.getMessage().contains("fc2") && e.getMessage().contains("features"),
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("unknown zoo model name")
    void entry_unknownName_listsKnownNames() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ZooCatalog.defaults().entry("resnet51"));
        assertEquals(
                "no zoo model named 'resnet51'; known models: [resnet50, vgg16, vgg19,"
                        + " squeezenet, xception, darknet19, lenet-mnist]",
                e.getMessage());
    }

    @Test
    void defaults_resnet50_followsDl4jPathAndChecksum() {
        ZooEntry resnet = ZooCatalog.defaults().entry("resnet50");
        assertEquals("models/resnet50_dl4j_inference.v3.zip", resnet.relativePath());
        assertEquals(3914447815L, resnet.checksum());
        assertEquals("avgpool", resnet.featureVertex());
        assertEquals(InputType.convolutional(224, 224, 3), resnet.inputType());
        assertTrue(resnet.normalizer().isPresent());
    }

    @Test
    void lenetMnist_vertexNamesExistInZooConfiguration() {
        ZooEntry lenet = ZooModels.LENET_MNIST.entry();
        ComputationGraph g =
                ((MultiLayerNetwork) ZooModels.LENET_MNIST.zooModel().init()).toComputationGraph();
        PretrainedModel m =
                PretrainedModel.builder(g)
                        .inputType(lenet.inputType())
                        .featureVertex(lenet.featureVertex())
                        .headVertices(lenet.headVertices())
                        .build();
        assertEquals(500, m.featureSize());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("zoo catalogue with a duplicate name")
    void add_duplicateName_throwsListingNames() {
        ZooEntry tiny = tinyEntry(1L);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ZooCatalog.builder().add(tiny).add(tiny));
        assertEquals(
                "a zoo entry named 'tiny' exists already; names in use: [tiny]", e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("zoo entry without a checksum")
    void build_entryWithoutChecksum_throwsNamingField() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ZooEntry.builder("x")
                                        .relativePath("a.zip")
                                        .inputType(InputType.feedForward(1))
                                        .featureVertex("f")
                                        .build());
        assertTrue(e.getMessage().startsWith("checksum must be set"), e.getMessage());
    }
}
