package org.tl4j.core.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.transformer.MultiHeadAttentionVertex;

/**
 * Keras {@code MultiHeadAttention} used as self-attention ({@code mha(x, x)} or {@code mha(x, x,
 * attention_mask=m)}), mapped onto tl4j's transformer blocks so that LoRA can target its
 * projections by name. A layer named {@code mha} becomes:
 *
 * <ul>
 *   <li>DenseLayers {@code mha.query}, {@code mha.key} ({@code hidden -> heads * key_dim}) and
 *       {@code mha.value} ({@code hidden -> heads * value_dim});
 *   <li>the attention core {@code mha.attention}, a {@link MultiHeadAttentionVertex} over the
 *       projections and the {@code [batch, time]} key mask (all tokens when the call has none);
 *   <li>DenseLayer {@code mha.output} ({@code heads * value_dim -> output size}).
 * </ul>
 *
 * <p>Keras keeps the projections as EinsumDense kernels {@code query/kernel [hidden, heads,
 * key_dim]}, {@code value/kernel [hidden, heads, value_dim]}, {@code attention_output/kernel
 * [heads, value_dim, out]} and biases {@code [heads, key_dim]}, ...; their C-order reshapes to
 * {@code [hidden, heads * key_dim]} etc. put head {@code h} in columns {@code h * d ... h * d + d -
 * 1}, the head layout of {@link MultiHeadAttentionVertex}. The scale is {@code 1 / sqrt(key_dim)}
 * in both.
 *
 * <p>Limitations: self-attention only (query, key and value from one tensor); the attention mask
 * must be a key padding mask {@code [batch, 1, time]} fed by a model input (Keras's broadcast
 * form), not a per-query or causal mask; attention dropout is not applied when the imported graph
 * trains; {@code attention_axes} must be the sequence axis.
 */
final class MultiHeadAttentionImporter implements KerasLayerImporter {

    private static final IActivation IDENTITY = Activation.IDENTITY.getActivationFunction();

    @Override
    public List<String> check(KerasLayerConfig layer) {
        List<String> problems = new ArrayList<>(BuiltInImporters.checkSingleCall(layer, 1));
        for (String field : List.of("num_heads", "key_dim")) {
            JsonNode v = layer.field(field).orElse(null);
            if (v == null || !v.isInt() || v.intValue() <= 0) {
                problems.add(field + " must be a positive integer, got " + v);
            }
        }
        layer.field("value_dim")
                .filter(v -> !v.isInt() || v.intValue() <= 0)
                .ifPresent(v -> problems.add("value_dim must be a positive integer, got " + v));
        layer.field("attention_axes")
                .filter(a -> !(a.isArray() && a.size() == 1 && a.get(0).asInt() == 1))
                .ifPresent(
                        a ->
                                problems.add(
                                        "attention_axes "
                                                + a
                                                + " is not supported; only the sequence axis"
                                                + " ([1] or null)"));
        layer.field("output_shape")
                .filter(o -> !(o.isInt() || (o.isArray() && o.size() == 1 && o.get(0).isInt())))
                .ifPresent(o -> problems.add("output_shape must be one integer, got " + o));
        String query = layer.inputs().isEmpty() ? null : layer.inputs().get(0);
        for (String kw : List.of("value", "key")) {
            String t = layer.tensorArguments().get(kw);
            if (t != null && !t.equals(query)) {
                problems.add(
                        "only self-attention is supported, but "
                                + kw
                                + " comes from '"
                                + t
                                + "' and query from '"
                                + query
                                + "'");
            }
        }
        for (String flag : List.of("use_causal_mask", "return_attention_scores")) {
            JsonNode v = layer.otherArguments().get(flag);
            if (v != null && v.asBoolean(false)) {
                problems.add(flag + "=True is not supported");
            }
        }
        return problems;
    }

    @Override
    public KerasTensor importLayer(KerasImportContext c) {
        KerasLayerConfig l = c.layer();
        KerasTensor x = c.input();
        if (x.kind() != KerasTensor.Kind.SEQUENCE) {
            throw new IllegalArgumentException(
                    l.describe() + ": the query must be a [time, features] sequence, got " + x);
        }
        long hidden = x.features();
        int heads = l.intField("num_heads");
        int keyDim = l.intField("key_dim");
        int valueDim = l.field("value_dim").isPresent() ? l.intField("value_dim") : keyDim;
        long out = outputSize(l).orElse(hidden);
        boolean bias = l.boolField("use_bias", true);

        projection(c, "query", x.vertex(), hidden, heads, keyDim, bias);
        projection(c, "key", x.vertex(), hidden, heads, keyDim, bias);
        projection(c, "value", x.vertex(), hidden, heads, valueDim, bias);
        c.addVertex(
                c.vertexName("attention"),
                new MultiHeadAttentionVertex(heads),
                c.vertexName("query"),
                c.vertexName("key"),
                c.vertexName("value"),
                mask(c, x));
        INDArray kernel =
                c.weight("attention_output/kernel", heads, valueDim, out)
                        .reshape('c', (long) heads * valueDim, out);
        Optional<INDArray> b =
                bias ? Optional.of(c.weight("attention_output/bias", out)) : Optional.empty();
        BuiltInImporters.dense(
                c, c.vertexName("output"), c.vertexName("attention"), IDENTITY, kernel, b);
        return x.withFeatures(c.vertexName("output"), out);
    }

    private static void projection(
            KerasImportContext c,
            String name,
            String input,
            long hidden,
            int heads,
            int size,
            boolean bias) {
        long width = (long) heads * size;
        INDArray kernel =
                c.weight(name + "/kernel", hidden, heads, size).reshape('c', hidden, width);
        Optional<INDArray> b =
                bias
                        ? Optional.of(c.weight(name + "/bias", heads, size).dup('c').reshape(width))
                        : Optional.empty();
        BuiltInImporters.dense(c, c.vertexName(name), input, IDENTITY, kernel, b);
    }

    private static String mask(KerasImportContext c, KerasTensor x) {
        Optional<KerasTensor> mask = c.tensorArgument("attention_mask");
        if (mask.isEmpty()) {
            return c.allTokensMask(x);
        }
        KerasTensor m = mask.get();
        if (m.kind() != KerasTensor.Kind.MASK) {
            throw new IllegalArgumentException(
                    c.layer().describe()
                            + ": attention_mask must come straight from a model input of shape"
                            + " [1, time], got "
                            + m);
        }
        long[] ms = m.shape();
        long[] xs = x.shape();
        if (ms[ms.length - 1] != xs[0] && xs[0] >= 0 && ms[ms.length - 1] >= 0) {
            throw new IllegalArgumentException(
                    c.layer().describe()
                            + ": attention_mask covers "
                            + ms[ms.length - 1]
                            + " keys but the sequence has "
                            + xs[0]);
        }
        return m.vertex();
    }

    private static Optional<Long> outputSize(KerasLayerConfig l) {
        return l.field("output_shape")
                .map(o -> o.isArray() ? o.get(0).asLong() : o.asLong())
                .filter(Objects::nonNull);
    }
}
