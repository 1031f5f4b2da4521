package org.tl4j.nlp.bert;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import onnx.Onnx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Infers a {@link BertConfig} from an ONNX export's tensor shapes and graph constants. */
final class OnnxConfigInference {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxConfigInference.class);
    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    private OnnxConfigInference() {}

    static BertConfig infer(
            OnnxGraphIndex index, BertTensorNames names, Optional<Integer> heads, String source) {
        Onnx.TensorProto word = names.tensors().get("embeddings.word_embeddings.weight");
        int vocab = (int) word.getDims(0);
        int hidden = (int) word.getDims(1);
        int layers = 0;
        for (String name : names.tensors().keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (layers == 0) {
            throw new IllegalArgumentException(
                    source
                            + " is not a BERT-family encoder: no "
                            + "tensors named encoder.layer.N.*");
        }
        int h =
                heads.orElseGet(
                        () ->
                                headsFromGraph(index, names.prefix(), hidden)
                                        .orElseThrow(
                                                () ->
                                                        new IllegalArgumentException(
                                                                source
                                                                        + ": the attention head"
                                                                        + " count is in no weight"
                                                                        + " shape and no attention"
                                                                        + " Reshape constant was"
                                                                        + " found; pass heads"
                                                                        + " explicitly")));
        return BertConfig.builder()
                .layers(layers)
                .hidden(hidden)
                .heads(h)
                .ffnSize(rows(names, "encoder.layer.0.intermediate.dense.bias", 4 * hidden))
                .vocabSize(vocab)
                .maxPositions(rows(names, "embeddings.position_embeddings.weight", 512))
                .typeVocabSize(rows(names, "embeddings.token_type_embeddings.weight", 2))
                .layerNormEps(layerNormEps(index).orElse(1e-12))
                .activation(activation(index, source))
                .build();
    }

    private static int rows(BertTensorNames names, String name, int fallback) {
        Onnx.TensorProto t = names.tensors().get(name);
        return t == null ? fallback : (int) t.getDims(0);
    }

    /** Heads = element 2 of the [batch, time, heads, headSize] shape of layer 0's Reshape. */
    static Optional<Integer> headsFromGraph(OnnxGraphIndex index, String prefix, int hidden) {
        String scope = "/" + prefix.replace('.', '/') + "encoder/layer.0/attention/self/";
        for (Onnx.NodeProto n : index.nodes()) {
            if (!n.getOpType().equals("Reshape") || !n.getName().startsWith(scope)) {
                continue;
            }
            Optional<Long> value = shapeElement(index, n.getInput(1), 2);
            if (value.isPresent() && value.get() > 0 && hidden % value.get() == 0) {
                return Optional.of(value.get().intValue());
            }
        }
        return Optional.empty();
    }

    private static Optional<Long> shapeElement(OnnxGraphIndex index, String shape, int i) {
        Optional<Onnx.TensorProto> direct = index.constant(shape);
        if (direct.isPresent()) {
            return OnnxGraphIndex.elementCount(direct.get()) == 4
                    ? Optional.of(OnnxGraphIndex.intAt(direct.get(), i))
                    : Optional.empty();
        }
        Optional<Onnx.NodeProto> concat =
                index.producer(shape)
                        .filter(c -> c.getOpType().equals("Concat") && c.getInputCount() == 4);
        if (concat.isEmpty()) {
            return Optional.empty();
        }
        String part = concat.get().getInput(i);
        Optional<Onnx.TensorProto> constant =
                index.constant(part)
                        .or(
                                () ->
                                        index.producer(part)
                                                .filter(u -> u.getOpType().equals("Unsqueeze"))
                                                .flatMap(u -> index.constant(u.getInput(0))));
        return constant.map(t -> OnnxGraphIndex.intAt(t, 0));
    }

    /** Epsilon: the float constant added to the variance before Sqrt inside a LayerNorm. */
    private static Optional<Double> layerNormEps(OnnxGraphIndex index) {
        for (Onnx.NodeProto n : index.nodes()) {
            if (n.getOpType().equals("LayerNormalization")) {
                return n.getAttributeList().stream()
                        .filter(a -> a.getName().equals("epsilon"))
                        .map(a -> Double.parseDouble(Float.toString(a.getF())))
                        .findFirst()
                        .or(() -> Optional.of(1e-5));
            }
            if (n.getOpType().equals("Sqrt") && n.getName().contains("LayerNorm")) {
                Optional<Onnx.NodeProto> add =
                        index.producer(n.getInput(0)).filter(a -> a.getOpType().equals("Add"));
                for (String in :
                        add.map(a -> (java.util.List<String>) a.getInputList())
                                .orElse(java.util.List.of())) {
                    Optional<Onnx.TensorProto> c = index.constant(in);
                    if (c.isPresent() && OnnxGraphIndex.elementCount(c.get()) == 1) {
                        // via the float's shortest decimal form, so 1e-12f reads back as 1e-12
                        float eps = (float) OnnxGraphIndex.firstFloat(c.get());
                        return Optional.of(Double.parseDouble(Float.toString(eps)));
                    }
                }
            }
        }
        LOG.warn("No LayerNorm epsilon found in the graph; using 1e-12");
        return Optional.empty();
    }

    private static BertActivation activation(OnnxGraphIndex index, String source) {
        for (Onnx.NodeProto n : index.nodes()) {
            if (n.getName().contains("/intermediate/")) {
                if (n.getOpType().equals("Erf")) {
                    return BertActivation.GELU;
                }
                if (n.getOpType().equals("Relu")) {
                    return BertActivation.RELU;
                }
            }
        }
        throw new UnsupportedOperationException(
                source
                        + ": no Erf (exact GELU) or Relu node under */intermediate/*; other"
                        + " feed-forward activations are not supported");
    }
}
