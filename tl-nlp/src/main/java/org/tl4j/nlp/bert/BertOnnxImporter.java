package org.tl4j.nlp.bert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import onnx.Onnx;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.core.transformer.Pooling;

/**
 * Imports the weights of a Hugging Face BERT-family ONNX export (fp32, {@code BertModel} layout:
 * {@code embeddings.*}, {@code encoder.layer.N.*}) into a graph from {@link BertGraphBuilder}.
 *
 * <p>The ONNX protobuf is parsed directly (no Java deserialisation, no SameDiff import). Dense
 * weights, often anonymous ({@code onnx::MatMul_787}, stored {@code [in, out]}), are named by the
 * MatMul node that consumes them ({@code /encoder/layer.0/attention/self/query/MatMul}). The
 * configuration is inferred: sizes from tensor shapes, depth from layer indices, heads from the
 * attention Reshape constants (or given), LayerNorm epsilon from its Add constant, activation from
 * the Erf/Relu op. Missing or unmapped tensors are reported together in one error.
 *
 * <p>Limitations: quantized, float16 and external-data exports are rejected; so is a dense weight
 * consumed other than by MatMul (Gemm/Transpose layouts); a pooler ({@code pooler.*}) is ignored.
 */
public final class BertOnnxImporter {

    private static final Logger LOG = LoggerFactory.getLogger(BertOnnxImporter.class);
    private static final String WORD = "embeddings.word_embeddings.weight";
    private static final Set<String> QUANTIZED_OPS =
            Set.of(
                    "QuantizeLinear",
                    "DequantizeLinear",
                    "DynamicQuantizeLinear",
                    "MatMulInteger",
                    "QLinearMatMul",
                    "QAttention",
                    "QGemm",
                    "DynamicQuantizeMatMul",
                    "MatMulNBits",
                    "ConvInteger");

    private BertOnnxImporter() {}

    /**
     * Imports an ONNX file, inferring the head count from the graph.
     *
     * @param file the .onnx file
     * @param pooling sentence pooling of the built graph
     * @return the encoder with imported weights
     * @throws IOException when the file is missing, a directory, empty, not an ONNX model, or a
     *     tensor's dimensions disagree with the values it holds; the message names the file
     */
    public static BertEncoder importFile(Path file, Pooling pooling) throws IOException {
        return importFile(file, pooling, Optional.empty());
    }

    /**
     * Imports an ONNX file.
     *
     * @param file the .onnx file
     * @param pooling sentence pooling of the built graph
     * @param heads the attention head count, when the graph does not reveal it
     * @return the encoder with imported weights
     * @throws IOException when the file is missing, a directory, empty, not an ONNX model, or a
     *     tensor's dimensions disagree with the values it holds; the message names the file
     */
    public static BertEncoder importFile(Path file, Pooling pooling, Optional<Integer> heads)
            throws IOException {
        if (Files.isDirectory(file)) {
            throw new NoSuchFileException(
                    file.toString(), null, "is a directory; pass the path of a .onnx file");
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(
                    file.toString(), null, "ONNX model not found; pass the path of a .onnx file");
        }
        if (Files.size(file) == 0) {
            throw new IOException("ONNX model " + file + " is empty (0 bytes)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return importStream(in, file.toString(), pooling, heads);
        }
    }

    /**
     * Imports an ONNX model from a stream (not closed here).
     *
     * @param in the model bytes
     * @param source a name for messages (file or resource)
     * @param pooling sentence pooling of the built graph
     * @param heads the head count, when the graph does not reveal it
     * @return the encoder with imported weights
     * @throws IOException when the stream cannot be read, is not an ONNX model, or a tensor's
     *     dimensions disagree with the values it holds (checked before anything is allocated)
     */
    public static BertEncoder importStream(
            InputStream in, String source, Pooling pooling, Optional<Integer> heads)
            throws IOException {
        Onnx.ModelProto model = parse(in, source);
        OnnxGraphIndex index = new OnnxGraphIndex(model.getGraph());
        rejectUnsupported(index, source);
        checkTensorSizes(index, source);
        BertTensorNames names = BertTensorNames.collect(index, source);
        BertConfig config = OnnxConfigInference.infer(index, names, heads, source);
        ComputationGraph graph = BertGraphBuilder.build(config, pooling, 0);
        loadWeights(graph, config, names, source);
        LOG.info("Imported {} from {}: {} parameters", config, source, graph.numParams());
        return new BertEncoder(graph, config, pooling);
    }

    private static Onnx.ModelProto parse(InputStream in, String source) throws IOException {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException(
                    source
                            + " is not a readable ONNX model (truncated or another "
                            + "format): "
                            + e.getMessage(),
                    e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new IOException(
                    source
                            + " is not an ONNX model: it has no graph nodes "
                            + "(truncated or another format)");
        }
        return model;
    }

    private static void rejectUnsupported(OnnxGraphIndex index, String source) {
        for (Onnx.NodeProto n : index.nodes()) {
            if (QUANTIZED_OPS.contains(n.getOpType())) {
                throw new UnsupportedOperationException(
                        source
                                + " is a quantized model (node "
                                + n.getName()
                                + " is "
                                + n.getOpType()
                                + "); tl4j imports fp32 exports "
                                + "only: export without quantization");
            }
        }
        for (Onnx.TensorProto t : index.initializers().values()) {
            int type = t.getDataType();
            if (type == Onnx.TensorProto.DataType.INT8.getNumber()
                    || type == Onnx.TensorProto.DataType.UINT8.getNumber()) {
                throw new UnsupportedOperationException(
                        source
                                + " is a quantized model (tensor "
                                + t.getName()
                                + " is 8-bit); tl4j imports fp32 exports only");
            }
            if (type == Onnx.TensorProto.DataType.FLOAT16.getNumber()
                    || type == Onnx.TensorProto.DataType.BFLOAT16.getNumber()) {
                throw new UnsupportedOperationException(
                        source
                                + ": tensor "
                                + t.getName()
                                + " is 16-bit float; tl4j imports fp32 exports only");
            }
            if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
                throw new UnsupportedOperationException(
                        source
                                + ": tensor "
                                + t.getName()
                                + " uses external data; save the model as a single .onnx file");
            }
        }
    }

    /**
     * Checks every float initializer's dimensions against the values it holds, before the graph is
     * built from those dimensions: a damaged or crafted file claiming huge dimensions fails here
     * instead of making DL4J allocate them.
     */
    private static void checkTensorSizes(OnnxGraphIndex index, String source) throws IOException {
        for (Onnx.TensorProto t : index.initializers().values()) {
            if (t.getDataType() != Onnx.TensorProto.DataType.FLOAT.getNumber()) {
                continue;
            }
            long claimed = 1;
            for (long d : t.getDimsList()) {
                if (d < 0 || (d > 0 && claimed > Long.MAX_VALUE / d)) {
                    throw new IOException(
                            source
                                    + ": tensor "
                                    + t.getName()
                                    + " has impossible dimensions "
                                    + t.getDimsList());
                }
                claimed *= d;
            }
            long held =
                    t.getFloatDataCount() > 0
                            ? t.getFloatDataCount()
                            : t.getRawData().size() / Float.BYTES;
            if (claimed != held) {
                throw new IOException(
                        source
                                + ": tensor "
                                + t.getName()
                                + " has dimensions "
                                + t.getDimsList()
                                + " ("
                                + claimed
                                + " values) but holds "
                                + held
                                + " values (damaged or crafted file)");
            }
        }
    }

    private static void loadWeights(
            ComputationGraph graph, BertConfig config, BertTensorNames names, String source) {
        List<String> missing = new ArrayList<>();
        Map<String, BertTensorNames.Target> targets = BertTensorNames.targets(config);
        for (Map.Entry<String, BertTensorNames.Target> e : targets.entrySet()) {
            Onnx.TensorProto t = names.tensors().get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
                continue;
            }
            INDArray dst = graph.getLayer(e.getValue().layer()).getParam(e.getValue().param());
            INDArray src = OnnxGraphIndex.toArray(t);
            if (src.length() != dst.length()) {
                throw new IllegalArgumentException(
                        source
                                + ": tensor "
                                + e.getKey()
                                + " has "
                                + "shape "
                                + t.getDimsList()
                                + ", expected "
                                + dst.length()
                                + " values for "
                                + e.getValue().layer()
                                + "."
                                + e.getValue().param());
            }
            dst.assign(src.reshape(dst.shape()));
        }
        Set<String> unmapped = new TreeSet<>(names.tensors().keySet());
        unmapped.removeAll(targets.keySet());
        if (!missing.isEmpty() || !unmapped.isEmpty()) {
            throw new IllegalArgumentException(
                    source
                            + " does not match the BERT layout "
                            + config
                            + ": missing tensors "
                            + missing
                            + "; unmapped tensors "
                            + unmapped);
        }
    }
}
