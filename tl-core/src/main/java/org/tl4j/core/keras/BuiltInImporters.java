package org.tl4j.core.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.transformer.ErfGeluActivation;
import org.tl4j.core.transformer.LayerNormLayer;

/** tl4j's importers of Keras core layers; {@link KerasLayerRegistry#defaults()} registers them. */
final class BuiltInImporters {

    /** Keras activation names and their DL4J equivalents (Keras's gelu is the exact erf form). */
    private static final Map<String, IActivation> ACTIVATIONS =
            Map.of(
                    "linear", Activation.IDENTITY.getActivationFunction(),
                    "relu", Activation.RELU.getActivationFunction(),
                    "gelu", new ErfGeluActivation(),
                    "tanh", Activation.TANH.getActivationFunction(),
                    "sigmoid", Activation.SIGMOID.getActivationFunction(),
                    "softmax", Activation.SOFTMAX.getActivationFunction(),
                    "swish", Activation.SWISH.getActivationFunction(),
                    "silu", Activation.SWISH.getActivationFunction());

    private BuiltInImporters() {}

    /** Problems with a layer's {@code activation} field (a name from {@link #ACTIVATIONS}). */
    static List<String> checkActivation(KerasLayerConfig layer) {
        Optional<JsonNode> a = layer.field("activation");
        if (a.isPresent() && !(a.get().isTextual() && ACTIVATIONS.containsKey(a.get().asText()))) {
            return List.of(
                    "activation "
                            + a.get()
                            + " is not supported; supported: "
                            + ACTIVATIONS.keySet().stream().sorted().toList());
        }
        return List.of();
    }

    static IActivation activation(KerasLayerConfig layer) {
        return ACTIVATIONS.get(layer.field("activation").map(JsonNode::asText).orElse("linear"));
    }

    /** Problems when the layer is called more than once or with inputs other than one. */
    static List<String> checkSingleCall(KerasLayerConfig layer, int inputs) {
        List<String> problems = new ArrayList<>();
        if (layer.callCount() > 1) {
            problems.add(
                    "shared layers (called " + layer.callCount() + " times) are not supported");
        }
        if (inputs > 0 && layer.inputs().size() != inputs) {
            problems.add("expected " + inputs + " input(s), got " + layer.inputs().size());
        }
        return problems;
    }

    /** The tensor, when it is a sequence or a vector (what Dense, Add and LayerNorm accept). */
    static KerasTensor requireNotMask(KerasImportContext c, KerasTensor t) {
        if (t.kind() == KerasTensor.Kind.MASK) {
            throw new IllegalArgumentException(
                    c.layer().describe()
                            + ": its input "
                            + t
                            + " is used as an attention mask elsewhere; masks can only feed"
                            + " MultiHeadAttention's attention_mask");
        }
        if (t.kind() == KerasTensor.Kind.IMAGE) {
            throw new IllegalArgumentException(
                    c.layer().describe()
                            + ": its input "
                            + t
                            + " is an image; register an importer that turns images into"
                            + " sequences (a patch embedding) first");
        }
        return t;
    }

    /** Adds a DenseLayer with Keras weights {@code kernel} [nIn, nOut] and optional bias. */
    static void dense(
            KerasImportContext c,
            String name,
            String input,
            IActivation activation,
            INDArray kernel,
            Optional<INDArray> bias) {
        c.addLayer(
                name,
                new DenseLayer.Builder()
                        .nIn(kernel.size(0))
                        .nOut(kernel.size(1))
                        .activation(activation)
                        .hasBias(bias.isPresent())
                        .build(),
                input);
        c.setParam(name, "W", kernel);
        bias.ifPresent(b -> c.setParam(name, "b", b.reshape(1, kernel.size(1))));
    }

    /** Keras {@code Dense} on the last axis: a DL4J DenseLayer ({@code kernel} is [in, units]). */
    static final class Dense implements KerasLayerImporter {

        @Override
        public List<String> check(KerasLayerConfig layer) {
            List<String> problems = new ArrayList<>(checkSingleCall(layer, 1));
            problems.addAll(checkActivation(layer));
            if (layer.field("units").isEmpty()) {
                problems.add("config has no 'units'");
            }
            return problems;
        }

        @Override
        public KerasTensor importLayer(KerasImportContext c) {
            KerasTensor in = requireNotMask(c, c.input());
            KerasLayerConfig l = c.layer();
            int units = l.intField("units");
            INDArray kernel = c.weight("kernel", in.features(), units);
            Optional<INDArray> bias =
                    l.boolField("use_bias", true)
                            ? Optional.of(c.weight("bias", units))
                            : Optional.empty();
            String name = c.vertexName("");
            dense(c, name, in.vertex(), activation(l), kernel, bias);
            return in.withFeatures(name, units);
        }
    }

    /** Keras {@code Activation}: a DL4J ActivationLayer. */
    static final class ActivationImporter implements KerasLayerImporter {

        @Override
        public List<String> check(KerasLayerConfig layer) {
            List<String> problems = new ArrayList<>(checkSingleCall(layer, 1));
            problems.addAll(checkActivation(layer));
            return problems;
        }

        @Override
        public KerasTensor importLayer(KerasImportContext c) {
            KerasTensor in = requireNotMask(c, c.input());
            String name = c.vertexName("");
            c.addLayer(
                    name,
                    new ActivationLayer.Builder().activation(activation(c.layer())).build(),
                    in.vertex());
            return in.withVertex(name);
        }
    }

    /**
     * Layers that are the identity at inference ({@code Dropout}): no vertex, the output is the
     * input tensor. Limitation: the dropout does not act when the imported graph trains.
     */
    static final class Identity implements KerasLayerImporter {

        @Override
        public List<String> check(KerasLayerConfig layer) {
            return checkSingleCall(layer, 1);
        }

        @Override
        public KerasTensor importLayer(KerasImportContext c) {
            return c.input();
        }
    }

    /** Keras {@code Add} of tensors of one shape (no broadcasting): an ElementWiseVertex. */
    static final class AddImporter implements KerasLayerImporter {

        @Override
        public List<String> check(KerasLayerConfig layer) {
            List<String> problems = new ArrayList<>(checkSingleCall(layer, 0));
            if (layer.inputs().size() < 2) {
                problems.add("Add needs at least 2 inputs, got " + layer.inputs().size());
            }
            return problems;
        }

        @Override
        public KerasTensor importLayer(KerasImportContext c) {
            List<KerasTensor> in = c.inputs();
            String[] vertices = new String[in.size()];
            for (int i = 0; i < in.size(); i++) {
                KerasTensor t = requireNotMask(c, in.get(i));
                if (!Arrays.equals(t.shape(), in.get(0).shape()) || t.kind() != in.get(0).kind()) {
                    throw new IllegalArgumentException(
                            c.layer().describe()
                                    + ": inputs must have one shape (no broadcasting), got "
                                    + in.get(0)
                                    + " and "
                                    + t);
                }
                vertices[i] = t.vertex();
            }
            String name = c.vertexName("");
            c.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), vertices);
            return in.get(0).withVertex(name);
        }
    }

    /**
     * Keras {@code LayerNormalization} over the last axis: tl4j's {@link LayerNormLayer} ({@code
     * gamma}, {@code beta}). With {@code scale=False} gamma is ones, with {@code center=False} beta
     * is zeros; they remain parameters of the DL4J layer.
     */
    static final class LayerNorm implements KerasLayerImporter {

        @Override
        public List<String> check(KerasLayerConfig layer) {
            List<String> problems = new ArrayList<>(checkSingleCall(layer, 1));
            JsonNode axis = layer.field("axis").orElse(null);
            boolean lastAxis =
                    axis == null
                            || (axis.isInt() && axis.intValue() == -1)
                            || (axis.isArray() && axis.size() == 1 && axis.get(0).isInt());
            if (!lastAxis) {
                problems.add(
                        "only normalisation over the last axis is supported, got axis " + axis);
            }
            return problems;
        }

        @Override
        public KerasTensor importLayer(KerasImportContext c) {
            KerasTensor in = requireNotMask(c, c.input());
            KerasLayerConfig l = c.layer();
            requireLastAxis(c, in);
            long n = in.features();
            double eps = l.field("epsilon").map(JsonNode::asDouble).orElse(1e-3);
            String name = c.vertexName("");
            c.addLayer(name, LayerNormLayer.builder().size(n).epsilon(eps).build(), in.vertex());
            INDArray gamma =
                    l.boolField("scale", true)
                            ? c.weight("gamma", n)
                            : org.nd4j.linalg.factory.Nd4j.ones(n);
            INDArray beta =
                    l.boolField("center", true)
                            ? c.weight("beta", n)
                            : org.nd4j.linalg.factory.Nd4j.zeros(n);
            c.setParam(name, "W", gamma.reshape(1, n));
            c.setParam(name, "b", beta.reshape(1, n));
            return in.withVertex(name);
        }

        private static void requireLastAxis(KerasImportContext c, KerasTensor in) {
            JsonNode axis = c.layer().field("axis").orElse(null);
            if (axis != null && axis.isArray()) {
                int a = axis.get(0).intValue();
                int rank = in.shape().length + 1;
                if (a != -1 && a != rank - 1) {
                    throw new IllegalArgumentException(
                            c.layer().describe()
                                    + ": only the last axis ("
                                    + (rank - 1)
                                    + " or -1) is supported, got axis "
                                    + axis);
                }
            }
        }
    }
}
