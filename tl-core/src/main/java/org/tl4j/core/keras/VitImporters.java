package org.tl4j.core.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.transformer.ClassTokenLayer;
import org.tl4j.core.transformer.PatchExtractionVertex;
import org.tl4j.core.transformer.Pooling;
import org.tl4j.core.transformer.PositionEmbeddingLayer;
import org.tl4j.core.transformer.SequencePoolingVertex;
import org.tl4j.core.transformer.TokenTableParamInitializer;

/**
 * Importers of the Keras layers a vision transformer (ViT, Dosovitskiy et al., arXiv:2010.11929) is
 * made of besides its encoder blocks, in the layout of the widely used vit-keras package:
 *
 * <pre>
 * x = Input((height, width, channels))
 * y = Conv2D(hidden, kernel_size=patch, strides=patch, padding="valid", name="embedding")(x)
 * y = Reshape((patches, hidden))(y)
 * y = ClassToken(name="class_token")(y)             # weight cls [1, 1, hidden]
 * y = AddPositionEmbs(name="posembed_input")(y)      # weight pos_embedding [1, patches + 1, hidden]
 * ... encoder blocks (LayerNormalization, MultiHeadAttention, Dense, Add) ...
 * y = y[:, 0]                                        # saved as a SlicingOpLambda layer
 * y = Dense(classes)(y)
 * </pre>
 *
 * {@code ClassToken} and {@code AddPositionEmbs} are custom classes in Keras; tl4j recognises them
 * by these class names and weight names. Images stay channels-last as Keras feeds them.
 *
 * <p>Limitations: vit-keras itself takes the class token with a {@code Lambda} layer (Python code,
 * not importable) and builds its blocks from a custom {@code TransformerBlock} class; models must
 * use the slice and Keras's own layers instead. Only the forms above are accepted: a Conv2D that is
 * not a patch embedding, a Reshape of anything but a patch grid, or another slice is reported.
 */
final class VitImporters {

    private VitImporters() {}

    /**
     * Keras {@code Conv2D} used as a ViT patch embedding (kernel size equal to the strides, padding
     * {@code valid}, channels last): a {@link PatchExtractionVertex} {@code name.patches} and a
     * DenseLayer {@code name} (the projection). The Keras kernel {@code [patch, patch, channels,
     * filters]} is reordered to the vertex's channel-row-column order within a patch.
     *
     * <p>Limitation: no other convolution is supported.
     */
    static final class PatchEmbedding implements KerasLayerImporter {

        @Override
        public List<String> check(KerasLayerConfig layer) {
            List<String> problems = new ArrayList<>(BuiltInImporters.checkSingleCall(layer, 1));
            problems.addAll(BuiltInImporters.checkActivation(layer));
            Optional<Integer> kernel = square(layer, "kernel_size");
            Optional<Integer> strides = square(layer, "strides");
            if (kernel.isEmpty() || !kernel.equals(strides)) {
                problems.add(
                        "only patch embeddings are supported: kernel_size and strides must be one"
                                + " square size, got kernel_size "
                                + layer.field("kernel_size").orElse(null)
                                + " and strides "
                                + layer.field("strides").orElse(null));
            }
            expect(layer, "padding", "valid", problems);
            expect(layer, "data_format", "channels_last", problems);
            if (!layer.field("dilation_rate").map(d -> d.toString().equals("[1,1]")).orElse(true)) {
                problems.add(
                        "dilation_rate must be [1, 1], got " + layer.field("dilation_rate").get());
            }
            if (layer.field("groups").map(g -> g.asInt() != 1).orElse(false)) {
                problems.add("groups must be 1, got " + layer.field("groups").get());
            }
            if (layer.field("filters").isEmpty()) {
                problems.add("config has no 'filters'");
            }
            return problems;
        }

        @Override
        public KerasTensor importLayer(KerasImportContext c) {
            KerasLayerConfig l = c.layer();
            KerasTensor in = c.input();
            long[] s = in.shape();
            int patch = square(l, "kernel_size").orElseThrow();
            if (in.kind() != KerasTensor.Kind.IMAGE || s[0] % patch != 0 || s[1] % patch != 0) {
                throw new IllegalArgumentException(
                        l.describe()
                                + ": the input must be an image [height, width, channels] whose"
                                + " height and width the patch size "
                                + patch
                                + " divides, got "
                                + in);
            }
            int filters = l.intField("filters");
            INDArray kernel = c.weight("kernel", patch, patch, s[2], filters);
            INDArray projection =
                    kernel.permute(2, 0, 1, 3).dup('c').reshape('c', s[2] * patch * patch, filters);
            Optional<INDArray> bias =
                    l.boolField("use_bias", true)
                            ? Optional.of(c.weight("bias", filters))
                            : Optional.empty();
            String patches = c.vertexName("patches");
            c.addVertex(patches, new PatchExtractionVertex(patch, CNN2DFormat.NHWC), in.vertex());
            String name = c.vertexName("");
            BuiltInImporters.dense(
                    c, name, patches, BuiltInImporters.activation(l), projection, bias);
            long[] grid = {s[0] / patch, s[1] / patch, filters};
            return new KerasTensor(name, grid, KerasTensor.Kind.PATCHES, Optional.of(in.vertex()));
        }

        /** The size of a square {@code [n, n]} field, if it is one. */
        private static Optional<Integer> square(KerasLayerConfig layer, String field) {
            return layer.field(field)
                    .filter(v -> v.isArray() && v.size() == 2 && v.get(0).isInt())
                    .filter(v -> v.get(0).intValue() > 0 && v.get(0).equals(v.get(1)))
                    .map(v -> v.get(0).intValue());
        }

        private static void expect(
                KerasLayerConfig layer, String field, String value, List<String> problems) {
            Optional<JsonNode> v = layer.field(field);
            if (v.isPresent() && !value.equals(v.get().asText())) {
                problems.add(field + " must be '" + value + "', got " + v.get());
            }
        }
    }

    /**
     * Keras {@code Reshape} of a patch grid {@code [rows, columns, features]} to the sequence
     * {@code [rows * columns, features]} (or {@code [-1, features]}). Patches are already held as
     * flat tokens, so no reshape is needed; the layer adds the sequence's all-ones mask {@code
     * name.tokens} that attention and pooling read.
     *
     * <p>Limitation: no other reshape is supported.
     */
    static final class PatchesToSequence implements KerasLayerImporter {

        @Override
        public List<String> check(KerasLayerConfig layer) {
            List<String> problems = new ArrayList<>(BuiltInImporters.checkSingleCall(layer, 1));
            JsonNode target = layer.field("target_shape").orElse(null);
            if (target == null || !target.isArray() || target.size() != 2) {
                problems.add(
                        "only a reshape of patches to [patches, features] is supported, got"
                                + " target_shape "
                                + target);
            }
            return problems;
        }

        @Override
        public KerasTensor importLayer(KerasImportContext c) {
            KerasTensor in = c.input();
            JsonNode target = c.layer().field("target_shape").orElseThrow();
            long[] s = in.shape();
            boolean fits =
                    in.kind() == KerasTensor.Kind.PATCHES
                            && (target.get(0).asLong() == s[0] * s[1]
                                    || target.get(0).asLong() == -1)
                            && target.get(1).asLong() == s[2];
            if (!fits) {
                throw new IllegalArgumentException(
                        c.layer().describe()
                                + ": only a reshape of a patch grid [rows, columns, features] to"
                                + " [rows * columns, features] is supported; input "
                                + in
                                + ", target_shape "
                                + target);
            }
            int tokens = Math.toIntExact(s[0] * s[1]);
            String mask = c.fixedLengthSequence(tokens, in.sequenceInput().orElseThrow());
            return new KerasTensor(
                    in.vertex(),
                    new long[] {tokens, s[2]},
                    KerasTensor.Kind.SEQUENCE,
                    Optional.of(mask));
        }
    }

    /**
     * vit-keras's {@code ClassToken}: prepends its weight {@code cls} {@code [1, 1, features]} to
     * every sequence, as a {@link ClassTokenLayer}.
     */
    static final class ClassToken implements KerasLayerImporter {

        @Override
        public List<String> check(KerasLayerConfig layer) {
            return BuiltInImporters.checkSingleCall(layer, 1);
        }

        @Override
        public KerasTensor importLayer(KerasImportContext c) {
            KerasTensor in = fixedSequence(c);
            long f = in.features();
            int n = Math.toIntExact(in.shape()[0]);
            INDArray cls = c.weight("cls", 1, 1, f);
            String name = c.vertexName("");
            c.addLayer(
                    name, ClassTokenLayer.builder().size(f).sequenceLength(n).build(), in.vertex());
            c.setParam(name, TokenTableParamInitializer.TABLE_KEY, cls.reshape(1, f));
            String mask = c.fixedLengthSequence(n + 1, in.sequenceInput().orElseThrow());
            return new KerasTensor(
                    name, new long[] {n + 1, f}, KerasTensor.Kind.SEQUENCE, Optional.of(mask));
        }
    }

    /**
     * vit-keras's {@code AddPositionEmbs}: adds its weight {@code pos_embedding} {@code [1, time,
     * features]} to every sequence, as a {@link PositionEmbeddingLayer}.
     */
    static final class PositionEmbedding implements KerasLayerImporter {

        @Override
        public List<String> check(KerasLayerConfig layer) {
            return BuiltInImporters.checkSingleCall(layer, 1);
        }

        @Override
        public KerasTensor importLayer(KerasImportContext c) {
            KerasTensor in = fixedSequence(c);
            long f = in.features();
            long n = in.shape()[0];
            INDArray table = c.weight("pos_embedding", 1, n, f);
            String name = c.vertexName("");
            c.addLayer(
                    name,
                    PositionEmbeddingLayer.builder().size(f).sequenceLength((int) n).build(),
                    in.vertex());
            c.setParam(name, TokenTableParamInitializer.TABLE_KEY, table.reshape(n, f));
            return in.withVertex(name);
        }
    }

    /**
     * The slice {@code x[:, 0]} of a sequence (its first token, ViT's class token), which Keras
     * saves as a {@code SlicingOpLambda} layer calling {@code __operators__.getitem} with {@code
     * slice_spec [{"start": null, "stop": null, "step": null}, 0]}: a {@link SequencePoolingVertex}
     * with {@link Pooling#FIRST_TOKEN}.
     *
     * <p>Limitation: no other slice is supported.
     */
    static final class FirstToken implements KerasLayerImporter {

        private static final String FULL_SLICE = "{\"start\":null,\"stop\":null,\"step\":null}";

        @Override
        public List<String> check(KerasLayerConfig layer) {
            List<String> problems = new ArrayList<>(BuiltInImporters.checkSingleCall(layer, 1));
            String function = layer.field("function").map(JsonNode::asText).orElse("");
            JsonNode spec = layer.otherArguments().get("slice_spec");
            boolean firstToken =
                    spec != null
                            && spec.isArray()
                            && spec.size() == 2
                            && spec.get(0).toString().equals(FULL_SLICE)
                            && spec.get(1).isInt()
                            && spec.get(1).intValue() == 0;
            if (!function.equals("__operators__.getitem") || !firstToken) {
                problems.add(
                        "only the slice x[:, 0] (the first token) is supported, got function '"
                                + function
                                + "' with slice_spec "
                                + spec);
            }
            return problems;
        }

        @Override
        public KerasTensor importLayer(KerasImportContext c) {
            KerasTensor in = c.input();
            if (in.kind() != KerasTensor.Kind.SEQUENCE) {
                throw new IllegalArgumentException(
                        c.layer().describe() + ": x[:, 0] needs a sequence, got " + in);
            }
            String name = c.vertexName("");
            c.addVertex(
                    name,
                    new SequencePoolingVertex(Pooling.FIRST_TOKEN),
                    in.vertex(),
                    c.allTokensMask(in));
            return new KerasTensor(
                    name, new long[] {in.features()}, KerasTensor.Kind.VECTOR, Optional.empty());
        }
    }

    /** The single input, a sequence of known length; the message says what was found. */
    private static KerasTensor fixedSequence(KerasImportContext c) {
        KerasTensor in = c.input();
        if (in.kind() != KerasTensor.Kind.SEQUENCE || in.shape()[0] <= 0) {
            throw new IllegalArgumentException(
                    c.layer().describe()
                            + ": the input must be a sequence [time, features] of known length,"
                            + " got "
                            + in);
        }
        return in;
    }
}
