package org.tl4j.nlp.bert;

import java.util.LinkedHashMap;
import java.util.Map;
import onnx.Onnx;

/**
 * Names the float tensors of an ONNX export with Hugging Face's {@code BertModel} names (prefix
 * such as {@code bert.} removed) and maps those names to the layers of {@link BertGraphBuilder}.
 *
 * @param prefix the stripped prefix ("" or for example "bert.")
 * @param tensors weight tensors by Hugging Face name (or raw name when no name could be found)
 */
record BertTensorNames(String prefix, Map<String, Onnx.TensorProto> tensors) {

    private static final String WORD = "embeddings.word_embeddings.weight";

    /** Where a tensor goes: a layer name and a DL4J parameter key. */
    record Target(String layer, String param) {}

    static BertTensorNames collect(OnnxGraphIndex index, String source) {
        String word =
                index.initializers().keySet().stream()
                        .filter(n -> n.endsWith(WORD))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                source
                                                        + " is not a BERT-family encoder: no"
                                                        + " initializer named *"
                                                        + WORD
                                                        + "; initializers start with "
                                                        + index.initializers().keySet().stream()
                                                                .limit(5)
                                                                .toList()));
        String prefix = word.substring(0, word.length() - WORD.length());
        Map<String, Onnx.TensorProto> tensors = new LinkedHashMap<>();
        for (Onnx.TensorProto t : index.initializers().values()) {
            if (t.getDataType() != Onnx.TensorProto.DataType.FLOAT.getNumber()
                    || OnnxGraphIndex.elementCount(t) <= 1) {
                continue;
            }
            String name = hfName(index, t.getName(), prefix);
            if (!name.startsWith("pooler.")) {
                tensors.put(name, t);
            }
        }
        return new BertTensorNames(prefix, tensors);
    }

    private static String hfName(OnnxGraphIndex index, String raw, String prefix) {
        for (Onnx.NodeProto consumer : index.consumers(raw)) {
            if (consumer.getOpType().equals("MatMul") && consumer.getName().endsWith("/MatMul")) {
                String scope = consumer.getName().substring(0, consumer.getName().length() - 7);
                String dotted = scope.replaceFirst("^/", "").replace('/', '.');
                return stripPrefix(dotted, prefix) + ".weight";
            }
        }
        return stripPrefix(raw, prefix);
    }

    private static String stripPrefix(String name, String prefix) {
        return !prefix.isEmpty() && name.startsWith(prefix)
                ? name.substring(prefix.length())
                : name;
    }

    /**
     * @return every tensor the config needs, by Hugging Face name, with its destination
     */
    static Map<String, Target> targets(BertConfig config) {
        Map<String, Target> t = new LinkedHashMap<>();
        t.put(WORD, new Target("embeddings.word", "W"));
        t.put("embeddings.position_embeddings.weight", new Target("embeddings.position", "W"));
        t.put("embeddings.token_type_embeddings.weight", new Target("embeddings.segment", "W"));
        linear(t, "embeddings.LayerNorm", "embeddings.norm");
        for (int i = 0; i < config.layers(); i++) {
            String hf = "encoder.layer." + i + ".";
            String our = "encoder." + i + ".";
            linear(t, hf + "attention.self.query", our + "attention.query");
            linear(t, hf + "attention.self.key", our + "attention.key");
            linear(t, hf + "attention.self.value", our + "attention.value");
            linear(t, hf + "attention.output.dense", our + "attention.output");
            linear(t, hf + "attention.output.LayerNorm", our + "attention.norm");
            linear(t, hf + "intermediate.dense", our + "ffn.intermediate");
            linear(t, hf + "output.dense", our + "ffn.output");
            linear(t, hf + "output.LayerNorm", our + "ffn.norm");
        }
        return t;
    }

    /** weight to W, bias to b (LayerNorm: gamma is W, beta is b). */
    private static void linear(Map<String, Target> t, String hf, String layer) {
        t.put(hf + ".weight", new Target(layer, "W"));
        t.put(hf + ".bias", new Target(layer, "b"));
    }
}
