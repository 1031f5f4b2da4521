package org.tl4j.nlp.bert;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Writes a small random ONNX file in the layout of a PyTorch BERT export: Hugging Face names for
 * embeddings, biases and LayerNorms, anonymous {@code onnx::MatMul_N} dense weights ([in, out])
 * named only by their MatMul node, the head count in the attention Reshape's Concat constants, the
 * LayerNorm epsilon in the Add before Sqrt, and an Erf node for GELU. Only the parts that the
 * importer reads are present; the graph is not meant to run.
 */
final class SyntheticBertOnnx {

    final Map<String, float[]> tensors = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();
    final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("synthetic");
    private final Random random;
    private int anonymous = 100;

    SyntheticBertOnnx(BertConfig c, long seed) {
        random = new Random(seed);
        int h = c.hidden();
        tensor("embeddings.word_embeddings.weight", c.vocabSize(), h);
        tensor("embeddings.position_embeddings.weight", c.maxPositions(), h);
        tensor("embeddings.token_type_embeddings.weight", c.typeVocabSize(), h);
        tensor("embeddings.LayerNorm.weight", h);
        tensor("embeddings.LayerNorm.bias", h);
        layerNormEpsPattern("/embeddings/LayerNorm", c.layerNormEps());
        for (int i = 0; i < c.layers(); i++) {
            String hf = "encoder.layer." + i + ".";
            String scope = "/encoder/layer." + i + "/";
            dense(scope + "attention/self/query", hf + "attention.self.query.bias", h, h);
            dense(scope + "attention/self/key", hf + "attention.self.key.bias", h, h);
            dense(scope + "attention/self/value", hf + "attention.self.value.bias", h, h);
            dense(scope + "attention/output/dense", hf + "attention.output.dense.bias", h, h);
            tensor(hf + "attention.output.LayerNorm.weight", h);
            tensor(hf + "attention.output.LayerNorm.bias", h);
            dense(scope + "intermediate/dense", hf + "intermediate.dense.bias", h, c.ffnSize());
            dense(scope + "output/dense", hf + "output.dense.bias", c.ffnSize(), h);
            tensor(hf + "output.LayerNorm.weight", h);
            tensor(hf + "output.LayerNorm.bias", h);
            node("Erf", scope + "intermediate/intermediate_act_fn/Erf", List.of("x" + i), "e" + i);
        }
        headsPattern(c.heads(), c.block().headSize());
    }

    /** Adds a random float tensor under a name. */
    void tensor(String name, long... shape) {
        int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * 0.1);
        }
        tensors.put(name, v);
        shapes.put(name, shape);
    }

    private void dense(String scope, String biasName, int in, int out) {
        String weight = "onnx::MatMul_" + anonymous++;
        tensor(weight, in, out);
        tensor(biasName, out);
        node("MatMul", scope + "/MatMul", List.of("act", weight), scope + "/MatMul_output_0");
    }

    private void headsPattern(int heads, int headSize) {
        String s = "/encoder/layer.0/attention/self/";
        constantInt(s + "Constant_2", heads);
        constantInt(s + "Constant_3", headSize);
        node("Unsqueeze", s + "Unsqueeze", List.of("batch"), s + "Unsqueeze_output_0");
        node("Unsqueeze", s + "Unsqueeze_1", List.of("time"), s + "Unsqueeze_1_output_0");
        node(
                "Concat",
                s + "Concat",
                List.of(
                        s + "Unsqueeze_output_0",
                        s + "Unsqueeze_1_output_0",
                        s + "Constant_2_output_0",
                        s + "Constant_3_output_0"),
                s + "Concat_output_0");
        node("Reshape", s + "Reshape", List.of("k", s + "Concat_output_0"), s + "Reshape_out");
    }

    private void layerNormEpsPattern(String scope, double eps) {
        Onnx.TensorProto value =
                Onnx.TensorProto.newBuilder().setDataType(1).addFloatData((float) eps).build();
        graph.addNode(
                Onnx.NodeProto.newBuilder()
                        .setOpType("Constant")
                        .setName(scope + "/Constant_1")
                        .addOutput(scope + "/Constant_1_output_0")
                        .addAttribute(
                                Onnx.AttributeProto.newBuilder()
                                        .setName("value")
                                        .setT(value)
                                        .setType(Onnx.AttributeProto.AttributeType.TENSOR)));
        node(
                "Add",
                scope + "/Add",
                List.of(scope + "/var", scope + "/Constant_1_output_0"),
                scope + "/Add_output_0");
        node("Sqrt", scope + "/Sqrt", List.of(scope + "/Add_output_0"), scope + "/Sqrt_out");
    }

    private void constantInt(String name, long value) {
        ByteBuffer raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        Onnx.TensorProto t =
                Onnx.TensorProto.newBuilder()
                        .setDataType(7)
                        .addDims(1)
                        .setRawData(ByteString.copyFrom(raw.array()))
                        .build();
        graph.addNode(
                Onnx.NodeProto.newBuilder()
                        .setOpType("Constant")
                        .setName(name)
                        .addOutput(name + "_output_0")
                        .addAttribute(
                                Onnx.AttributeProto.newBuilder()
                                        .setName("value")
                                        .setT(t)
                                        .setType(Onnx.AttributeProto.AttributeType.TENSOR)));
    }

    void node(String op, String name, List<String> inputs, String output) {
        graph.addNode(
                Onnx.NodeProto.newBuilder()
                        .setOpType(op)
                        .setName(name)
                        .addAllInput(inputs)
                        .addOutput(output));
    }

    /** Writes the model; tensors are stored as little-endian raw data, like PyTorch does. */
    void write(Path file) throws IOException {
        Onnx.GraphProto.Builder g = graph.clone();
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            ByteBuffer raw =
                    ByteBuffer.allocate(4 * e.getValue().length).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(e.getValue());
            Onnx.TensorProto.Builder t =
                    Onnx.TensorProto.newBuilder()
                            .setName(e.getKey())
                            .setDataType(1)
                            .setRawData(ByteString.copyFrom(raw.array()));
            for (long d : shapes.get(e.getKey())) {
                t.addDims(d);
            }
            g.addInitializer(t);
        }
        Onnx.ModelProto model =
                Onnx.ModelProto.newBuilder()
                        .setIrVersion(7)
                        .setProducerName("tl4j-test")
                        .setGraph(g)
                        .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(11))
                        .build();
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
    }
}
