package org.tl4j.core.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ViT building blocks: hand-computed outputs of patch extraction, class token and position
 * embedding; patch extraction plus a dense projection against DL4J's own convolution; analytic
 * gradients of a tiny ViT against finite differences; save/load.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class VitBlocksTest {

    private static int threads;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        threads = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        Nd4j.getEnvironment().setMaxThreads(threads);
    }

    /** One-vertex graph: image [b, c, 4, 4] to patches. */
    private static ComputationGraph patchGraph(int channels, int patch) {
        ComputationGraphConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .dataType(DataType.DOUBLE)
                        .graphBuilder()
                        .addInputs("image")
                        .addVertex("patches", new PatchExtractionVertex(patch), "image")
                        .setOutputs("patches")
                        .setInputTypes(InputType.convolutional(4, 4, channels))
                        .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Test
    void patchExtraction_twoExamplesTwoChannels_rowsAreChannelThenRowThenColumn() {
        // value = 100 * example + 16 * channel + 4 * row + column
        INDArray image =
                Nd4j.arange(0, 2 * 2 * 16).reshape('c', 2, 2, 4, 4).castTo(DataType.DOUBLE);
        for (int b = 0; b < 2; b++) {
            image.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b)).addi(100 * b - 32 * b);
        }
        INDArray out = patchGraph(2, 2).outputSingle(image);
        assertArrayEquals(new long[] {8, 8}, out.shape());
        // example 0, patch 1 (top right): channel 0 rows 0-1 cols 2-3, then channel 1
        assertArrayEquals(
                new double[] {2, 3, 6, 7, 18, 19, 22, 23}, out.getRow(1).toDoubleVector(), 0);
        // example 1, patch 2 (bottom left)
        assertArrayEquals(
                new double[] {108, 109, 112, 113, 124, 125, 128, 129},
                out.getRow(6).toDoubleVector(),
                0);
    }

    @Test
    void patchExtraction_channelsLast_matchesChannelsFirstForwardAndBackward() {
        INDArray nchw = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 4);
        INDArray nhwc = nchw.permute(0, 2, 3, 1).dup('c');
        GraphVertex first = patchVertex(new PatchExtractionVertex(2), nchw);
        GraphVertex last = patchVertex(new PatchExtractionVertex(2, CNN2DFormat.NHWC), nhwc);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

        INDArray out = last.doForward(false, mgr);
        assertEquals(first.doForward(false, mgr), out);

        INDArray epsilon = Nd4j.rand(DataType.DOUBLE, out.shape());
        first.setEpsilon(epsilon);
        last.setEpsilon(epsilon);
        INDArray gradFirst = first.doBackward(false, mgr).getSecond()[0];
        INDArray gradLast = last.doBackward(false, mgr).getSecond()[0];
        assertArrayEquals(nhwc.shape(), gradLast.shape());
        assertEquals(gradFirst.permute(0, 2, 3, 1), gradLast);
    }

    /** The run-time vertex of a one-vertex graph, with {@code image} set as its input. */
    private static GraphVertex patchVertex(PatchExtractionVertex conf, INDArray image) {
        ComputationGraph graph =
                new ComputationGraph(
                        new NeuralNetConfiguration.Builder()
                                .dataType(DataType.DOUBLE)
                                .graphBuilder()
                                .addInputs("image")
                                .addVertex("patches", conf, "image")
                                .setOutputs("patches")
                                .build());
        graph.init();
        GraphVertex v = graph.getVertex("patches");
        v.setInput(0, image, LayerWorkspaceMgr.noWorkspaces());
        return v;
    }

    @Test
    void patchExtractionThenDense_equalsConvolutionWithKernelAndStrideOfPatch() {
        int channels = 3;
        int patch = 2;
        int hidden = 5;
        ComputationGraph conv = convGraph(channels, patch, hidden);
        ComputationGraph dense =
                new ComputationGraph(
                        new NeuralNetConfiguration.Builder()
                                .dataType(DataType.DOUBLE)
                                .graphBuilder()
                                .addInputs("image")
                                .addVertex("patches", new PatchExtractionVertex(patch), "image")
                                .addLayer(
                                        "projection",
                                        new DenseLayer.Builder()
                                                .nOut(hidden)
                                                .activation(Activation.IDENTITY)
                                                .build(),
                                        "patches")
                                .setOutputs("projection")
                                .setInputTypes(InputType.convolutional(4, 4, channels))
                                .build());
        dense.init();
        // DL4J conv weights are [out, in, kh, kw]; the dense weight is [in * kh * kw, out].
        INDArray w = conv.getParam("conv_W");
        dense.setParam(
                "projection_W", w.reshape('c', hidden, channels * patch * patch).transpose());
        dense.setParam("projection_b", conv.getParam("conv_b").reshape(1, hidden));

        INDArray image = Nd4j.rand(DataType.DOUBLE, 3, channels, 4, 4);
        INDArray convOut = conv.outputSingle(image); // [3, hidden, 2, 2]
        INDArray expected = convOut.permute(0, 2, 3, 1).dup('c').reshape('c', 3 * 4, hidden);
        INDArray actual = dense.outputSingle(image);
        assertEquals(0, Transforms.abs(expected.sub(actual)).maxNumber().doubleValue(), 1e-12);
    }

    private static ComputationGraph convGraph(int channels, int patch, int hidden) {
        ComputationGraph conv =
                new ComputationGraph(
                        new NeuralNetConfiguration.Builder()
                                .dataType(DataType.DOUBLE)
                                .seed(3)
                                .graphBuilder()
                                .addInputs("image")
                                .addLayer(
                                        "conv",
                                        new ConvolutionLayer.Builder(patch, patch)
                                                .stride(patch, patch)
                                                .nOut(hidden)
                                                .biasInit(0.3)
                                                .activation(Activation.IDENTITY)
                                                .build(),
                                        "image")
                                .setOutputs("conv")
                                .setInputTypes(InputType.convolutional(4, 4, channels))
                                .build());
        conv.init();
        return conv;
    }

    @Test
    void classTokenThenPosition_handComputedValues() {
        ComputationGraph graph = TinyVit.build(1, new NoOp());
        INDArray token = Nd4j.createFromArray(new double[][] {{1, 2, 3, 4}});
        INDArray positions = Nd4j.rand(DataType.DOUBLE, TinyVit.TOKENS, TinyVit.HIDDEN);
        graph.setParam("class_W", token);
        graph.setParam("position_W", positions);
        INDArray image = Nd4j.rand(DataType.DOUBLE, 2, TinyVit.CHANNELS, 4, 4);
        var acts = graph.feedForward(new INDArray[] {image}, false);
        INDArray projected = acts.get("projection");
        INDArray withClass = acts.get("class");
        INDArray out = acts.get("position");
        assertArrayEquals(new long[] {10, TinyVit.HIDDEN}, out.shape());
        for (int b = 0; b < 2; b++) {
            assertEquals(token.getRow(0), withClass.getRow(b * 5L));
            assertEquals(token.getRow(0).add(positions.getRow(0)), out.getRow(b * 5L));
            for (int p = 0; p < 4; p++) {
                INDArray patch = projected.getRow(b * 4L + p);
                assertEquals(patch, withClass.getRow(b * 5L + 1 + p));
                INDArray expected = patch.add(positions.getRow(1 + p));
                assertEquals(
                        0,
                        Transforms.abs(expected.sub(out.getRow(b * 5L + 1 + p)))
                                .maxNumber()
                                .doubleValue(),
                        1e-15);
            }
        }
        assertEquals(Nd4j.ones(DataType.DOUBLE, 2, 5), acts.get("mask"));
    }

    /**
     * Every parameter except the weight matrices of the encoder's DenseLayers (DL4J's own layers;
     * their biases are checked): the new layers, the pre-norm wiring through the LayerNorms and the
     * head. Leaving the matrices out halves the test's time.
     */
    @Test
    void gradients_tinyVit_matchFiniteDifferences() {
        ComputationGraph graph = TinyVit.build(7, new NoOp());
        MultiDataSet data = TinyVit.batch(5, 3);
        Set<String> denseWeights =
                graph.paramTable().keySet().stream()
                        .filter(k -> k.startsWith("encoder.0.") && k.endsWith("_W"))
                        .filter(k -> !k.contains(".norm_"))
                        .collect(Collectors.toSet());
        boolean ok =
                GradientCheckUtil.checkGradients(
                        new GradientCheckUtil.GraphConfig()
                                .net(graph)
                                .inputs(data.getFeatures())
                                .labels(data.getLabels())
                                .epsilon(1e-6)
                                .maxRelError(1e-4)
                                .minAbsoluteError(1e-8)
                                .excludeParams(denseWeights));
        assertTrue(ok);
    }

    /**
     * A 1x1 convolution before the patches: its parameter gradients pass through the patch
     * extraction's backward pass, which the plain ViT (images straight into the vertex) never uses.
     */
    @Test
    void gradients_tinyVitWithConvolutionBeforePatches_matchFiniteDifferences() {
        ComputationGraph graph = TinyVit.build(9, new NoOp(), true);
        MultiDataSet data = TinyVit.batch(6, 2);
        Set<String> afterPatches =
                graph.paramTable().keySet().stream()
                        .filter(k -> !k.startsWith("stem_"))
                        .collect(Collectors.toSet());
        boolean ok =
                GradientCheckUtil.checkGradients(
                        new GradientCheckUtil.GraphConfig()
                                .net(graph)
                                .inputs(data.getFeatures())
                                .labels(data.getLabels())
                                .epsilon(1e-6)
                                .maxRelError(1e-4)
                                .minAbsoluteError(1e-8)
                                .excludeParams(afterPatches));
        assertTrue(ok);
    }

    @Test
    void writeModel_thenRestore_givesSameOutputAndConfig() throws IOException {
        ComputationGraph graph = TinyVit.build(5, new Adam(1e-2));
        graph.fit(TinyVit.batch(1, 4));
        File file = dir.resolve("vit.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(graph.getConfiguration().toJson(), restored.getConfiguration().toJson());
        assertEquals(graph.getConfiguration(), restored.getConfiguration());
        INDArray[] in = TinyVit.batch(2, 3).getFeatures();
        assertEquals(graph.output(in)[0], restored.output(in)[0]);
    }

    /** TransferLearning copies parameters layer by layer with setParams when a graph is edited. */
    @Test
    void setParams_tokenTables_copiesValues() {
        ComputationGraph graph = TinyVit.build(1, new NoOp());
        for (String name : new String[] {"class", "position"}) {
            org.deeplearning4j.nn.api.Layer layer = graph.getLayer(name);
            INDArray values = Nd4j.rand(DataType.DOUBLE, 1, layer.numParams());
            layer.setParams(values);
            assertEquals(values.reshape(values.length()), layer.params().reshape(values.length()));
        }
    }

    @Test
    void classToken_inputRowsNotMultipleOfSequence_namesShape() {
        ComputationGraph graph = TinyVit.build(1, new NoOp());
        org.deeplearning4j.nn.api.Layer layer = graph.getLayer("class");
        layer.setInput(
                Nd4j.zeros(DataType.DOUBLE, 6, 4),
                org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                layer.activate(
                                        false,
                                        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr
                                                .noWorkspaces()));
        assertTrue(
                e.getMessage().contains("input shape [6, 4] is not [batch * 4, 4]"),
                e.getMessage());
    }

    @Test
    void patchExtraction_sizeNotDividingImage_throwsWithSizes() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new PatchExtractionVertex(3)
                                        .getOutputType(-1, InputType.convolutional(4, 6, 1)));
        assertEquals(
                "patch size 3 must divide the image height and width, got 4x6", e.getMessage());
    }

    @Test
    void builders_badValues_throwWithValue() {
        IllegalArgumentException token =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ClassTokenLayer.builder().size(4).sequenceLength(0).build());
        assertEquals("ClassTokenLayer sequenceLength must be > 0, got 0", token.getMessage());
        IllegalArgumentException position =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PositionEmbeddingLayer.builder().sequenceLength(3).build());
        assertTrue(position.getMessage().startsWith("PositionEmbeddingLayer needs size(n)"));
        assertThrows(IllegalArgumentException.class, () -> new UnpaddedMaskVertex(0));
        assertThrows(IllegalArgumentException.class, () -> new PatchExtractionVertex(0));
    }
}
