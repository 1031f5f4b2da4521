package org.tl4j.nlp.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.transformer.Pooling;
import org.tl4j.nlp.tokenize.TokenizedBatch;

/** The importer on small random BERT-layout ONNX files, and its errors on bad input. */
class BertOnnxImporterTest {

    /** Another depth, width, head count, FFN size and epsilon than MiniLM. */
    static final BertConfig SMALL =
            BertConfig.builder()
                    .layers(3)
                    .hidden(24)
                    .heads(4)
                    .ffnSize(40)
                    .vocabSize(50)
                    .maxPositions(16)
                    .typeVocabSize(3)
                    .layerNormEps(1e-5)
                    .build();

    @TempDir Path dir;

    @Test
    void importFile_smallRandomExport_infersConfigAndLoadsEveryTensor() throws IOException {
        SyntheticBertOnnx onnx = new SyntheticBertOnnx(SMALL, 5);
        Path file = dir.resolve("small.onnx");
        onnx.write(file);
        BertEncoder encoder = BertOnnxImporter.importFile(file, Pooling.FIRST_TOKEN);
        assertEquals(SMALL, encoder.config());
        ComputationGraph g = encoder.graph();
        assertParam(g, "embeddings.word", "W", onnx, "embeddings.word_embeddings.weight");
        assertParam(g, "embeddings.segment", "W", onnx, "embeddings.token_type_embeddings.weight");
        assertParam(
                g,
                "encoder.2.attention.norm",
                "b",
                onnx,
                "encoder.layer.2.attention.output.LayerNorm.bias");
        // Anonymous weights by creation order: query of layer 0 is onnx::MatMul_100, layer 1's
        // intermediate dense is onnx::MatMul_110; both stored [in, out] like DL4J's W.
        assertParam(g, "encoder.0.attention.query", "W", onnx, "onnx::MatMul_100");
        assertParam(g, "encoder.1.ffn.intermediate", "W", onnx, "onnx::MatMul_110");
        assertParam(
                g,
                "encoder.1.ffn.intermediate",
                "b",
                onnx,
                "encoder.layer.1.intermediate.dense.bias");
        assertTrue(
                g.getLayer("encoder.2.attention.value").conf().getLayer() instanceof DenseLayer,
                "projections must be DenseLayers for LoRA");

        TokenizedBatch batch =
                new TokenizedBatch(
                        List.of(List.of(), List.of()),
                        new int[][] {{1, 7, 9, 2}, {1, 5, 2, 0}},
                        new int[][] {{0, 0, 1, 1}, {0, 0, 0, 0}},
                        new int[][] {{1, 1, 1, 1}, {1, 1, 1, 0}});
        BertEncoder.Output out = encoder.encode(batch);
        assertArrayEquals(new long[] {2, 4, 24}, out.lastHiddenState().shape());
        assertEquals(
                out.lastHiddenState()
                        .get(
                                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                                org.nd4j.linalg.indexing.NDArrayIndex.all()),
                out.sentenceEmbedding());
    }

    @Test
    void importFile_headsGiven_overridesGraph() throws IOException {
        Path file = dir.resolve("small.onnx");
        new SyntheticBertOnnx(SMALL, 5).write(file);
        BertEncoder e = BertOnnxImporter.importFile(file, Pooling.MASKED_MEAN, Optional.of(6));
        assertEquals(6, e.config().heads());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("ONNX file missing BERT tensors and holding unknown ones")
    void importFile_missingAndUnmappedTensors_listsAllInOneError() throws IOException {
        SyntheticBertOnnx onnx = new SyntheticBertOnnx(SMALL, 5);
        onnx.tensors.remove("encoder.layer.1.output.LayerNorm.bias");
        onnx.tensors.remove("embeddings.LayerNorm.weight");
        onnx.tensor("encoder.layer.0.attention.extra.weight", 24);
        Path file = dir.resolve("broken.onnx");
        onnx.write(file);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> BertOnnxImporter.importFile(file, Pooling.MASKED_MEAN));
        assertTrue(
                e.getMessage()
                        .contains(
                                "missing tensors [embeddings.LayerNorm.weight, "
                                        + "encoder.layer.1.output.LayerNorm.bias]"),
                e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains("unmapped tensors " + "[encoder.layer.0.attention.extra.weight]"),
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("quantized ONNX model")
    void importFile_quantizedGraph_isRejected() throws IOException {
        SyntheticBertOnnx onnx = new SyntheticBertOnnx(SMALL, 5);
        onnx.node("DynamicQuantizeLinear", "/encoder/layer.0/q", List.of("a"), "b");
        Path file = dir.resolve("quantized.onnx");
        onnx.write(file);
        UnsupportedOperationException e =
                assertThrows(
                        UnsupportedOperationException.class,
                        () -> BertOnnxImporter.importFile(file, Pooling.MASKED_MEAN));
        assertTrue(e.getMessage().contains("is a quantized model"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("ONNX model of another family")
    void importFile_otherModelFamily_isRejected() throws IOException {
        SyntheticBertOnnx onnx = new SyntheticBertOnnx(SMALL, 5);
        onnx.tensors.clear();
        onnx.tensor("conv1.weight", 8, 3, 3, 3);
        Path file = dir.resolve("cnn.onnx");
        onnx.write(file);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> BertOnnxImporter.importFile(file, Pooling.MASKED_MEAN));
        assertTrue(
                e.getMessage()
                        .contains(
                                "is not a BERT-family encoder: no initializer named"
                                    + " *embeddings.word_embeddings.weight; initializers start with"
                                    + " [conv1.weight]"),
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("truncated ONNX file")
    void importFile_truncatedFile_failsNamingTheFile() throws IOException {
        Path full = dir.resolve("full.onnx");
        new SyntheticBertOnnx(SMALL, 5).write(full);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> BertOnnxImporter.importFile(cut, Pooling.MASKED_MEAN));
        assertTrue(
                e.getMessage().startsWith(cut + " is not a readable ONNX model"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("text file given as an ONNX model")
    void importFile_textFile_failsAsNotOnnx() throws IOException {
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "this is not a protobuf\n");
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> BertOnnxImporter.importFile(text, Pooling.MASKED_MEAN));
        assertTrue(e.getMessage().startsWith(text + " is not"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("missing ONNX file")
    void importFile_missingFile_throwsNoSuchFile() {
        Path missing = dir.resolve("absent.onnx");
        NoSuchFileException e =
                assertThrows(
                        NoSuchFileException.class,
                        () -> BertOnnxImporter.importFile(missing, Pooling.MASKED_MEAN));
        assertTrue(e.getMessage().contains("ONNX model not found"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("encoder batch of 0 examples")
    void encode_batchOfZero_throws() throws IOException {
        Path file = dir.resolve("small.onnx");
        new SyntheticBertOnnx(SMALL, 5).write(file);
        BertEncoder encoder = BertOnnxImporter.importFile(file, Pooling.MASKED_MEAN);
        TokenizedBatch empty =
                new TokenizedBatch(List.of(), new int[0][], new int[0][], new int[0][]);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> encoder.encode(empty));
        assertEquals("batch is empty; pass at least one example", e.getMessage());
    }

    private static void assertParam(
            ComputationGraph g, String layer, String key, SyntheticBertOnnx onnx, String tensor) {
        INDArray actual = g.getLayer(layer).getParam(key);
        float[] expected = onnx.tensors.get(tensor);
        assertArrayEquals(expected, actual.dup('c').data().asFloat(), 0f, layer + "." + key);
    }

    @Test
    @Tag("bad-input")
    @DisplayName("zero-byte ONNX file")
    void importFile_zeroByteFile_saysEmpty() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> BertOnnxImporter.importFile(empty, Pooling.MASKED_MEAN));
        assertEquals("ONNX model " + empty + " is empty (0 bytes)", e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("directory where an ONNX file is expected")
    void importFile_directory_saysDirectory() {
        NoSuchFileException e =
                assertThrows(
                        NoSuchFileException.class,
                        () -> BertOnnxImporter.importFile(dir, Pooling.MASKED_MEAN));
        assertEquals(dir + ": is a directory; pass the path of a .onnx file", e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("corrupt ONNX file: random bytes after a valid start")
    void importFile_corruptBytes_failsNamingTheFile() throws IOException {
        Path full = dir.resolve("full.onnx");
        new SyntheticBertOnnx(SMALL, 5).write(full);
        byte[] bytes = Files.readAllBytes(full);
        byte[] noise = new byte[bytes.length / 2];
        new java.util.Random(7).nextBytes(noise);
        System.arraycopy(noise, 0, bytes, bytes.length / 4, noise.length);
        Path corrupt = Files.write(dir.resolve("corrupt.onnx"), bytes);
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> BertOnnxImporter.importFile(corrupt, Pooling.MASKED_MEAN));
        assertTrue(e.getMessage().startsWith(corrupt.toString()), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("ONNX tensor whose dimensions claim 2^40 values")
    void importFile_hugeDimensions_failBeforeAllocating() throws IOException {
        SyntheticBertOnnx onnx = new SyntheticBertOnnx(SMALL, 5);
        onnx.shapes.put("embeddings.word_embeddings.weight", new long[] {1L << 35, 32});
        Path file = dir.resolve("huge.onnx");
        onnx.write(file);
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> BertOnnxImporter.importFile(file, Pooling.MASKED_MEAN));
        assertEquals(
                file
                        + ": tensor embeddings.word_embeddings.weight has dimensions [34359738368,"
                        + " 32] (1099511627776 values) but holds 1200 values (damaged or crafted"
                        + " file)",
                e.getMessage());
    }
}
