package org.tl4j.core.keras;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.transformer.SequenceMaskVertex;
import org.tl4j.core.transformer.UnpaddedMaskVertex;

/**
 * What a {@link KerasLayerImporter} sees of one Keras layer's import: the layer, its input tensors,
 * the graph under construction and the layer's weights, read by their Keras names and checked
 * against the shapes that the configuration implies.
 */
public final class KerasImportContext {

    /** State shared by the contexts of one import. */
    static final class State {
        final KerasFile file;
        final GraphBuilder graph;
        final Map<String, KerasTensor> tensors = new LinkedHashMap<>();
        final Map<String, List<String>> vertices = new LinkedHashMap<>();
        final List<ParamAssignment> params = new ArrayList<>();
        final Map<String, String> tokenMasks = new LinkedHashMap<>();

        State(KerasFile file, GraphBuilder graph) {
            this.file = file;
            this.graph = graph;
        }
    }

    /** A parameter value to copy into the initialised graph. */
    record ParamAssignment(String kerasLayer, String vertex, String param, INDArray value) {}

    private final State state;
    private final KerasLayerConfig layer;
    private final List<String> weightNames;
    private final Set<String> usedWeights = new LinkedHashSet<>();

    KerasImportContext(State state, KerasLayerConfig layer, List<String> weightNames) {
        this.state = state;
        this.layer = layer;
        this.weightNames = List.copyOf(weightNames);
        state.vertices.putIfAbsent(layer.name(), new ArrayList<>());
    }

    /**
     * @return the layer being imported
     */
    public KerasLayerConfig layer() {
        return layer;
    }

    /**
     * @return the tensors of the call's first argument, in order
     */
    public List<KerasTensor> inputs() {
        List<KerasTensor> out = new ArrayList<>();
        for (String name : layer.inputs()) {
            out.add(tensor(name));
        }
        return out;
    }

    /**
     * @return the single input tensor
     * @throws IllegalArgumentException when the layer has several inputs
     */
    public KerasTensor input() {
        if (layer.inputs().size() != 1) {
            throw new IllegalArgumentException(
                    layer.describe() + " takes one input, got " + layer.inputs());
        }
        return tensor(layer.inputs().get(0));
    }

    /**
     * @return the tensor passed as keyword argument {@code keyword}, if any
     */
    public Optional<KerasTensor> tensorArgument(String keyword) {
        return Optional.ofNullable(layer.tensorArguments().get(keyword)).map(this::tensor);
    }

    /**
     * @return the DL4J name of the layer's vertex with {@code suffix}: {@code name.suffix}, or the
     *     Keras layer name itself for an empty suffix
     */
    public String vertexName(String suffix) {
        return suffix.isEmpty() ? layer.name() : layer.name() + "." + suffix;
    }

    /** Adds a DL4J layer named {@code name} and records it as part of this Keras layer. */
    public void addLayer(String name, Layer dl4jLayer, String... inputs) {
        state.graph.addLayer(name, dl4jLayer, inputs);
        state.vertices.get(layer.name()).add(name);
    }

    /** Adds a DL4J vertex named {@code name} and records it as part of this Keras layer. */
    public void addVertex(String name, GraphVertex vertex, String... inputs) {
        state.graph.addVertex(name, vertex, inputs);
        state.vertices.get(layer.name()).add(name);
    }

    /**
     * The {@code [batch, time]} all-ones mask of a sequence (every position a token), created once
     * per model input.
     *
     * @param sequence a {@link KerasTensor.Kind#SEQUENCE} tensor
     * @return the vertex holding the mask
     */
    public String allTokensMask(KerasTensor sequence) {
        return allTokensMask(state, sequence);
    }

    /**
     * Declares a sequence of {@code time} tokens per example that no model input has (a ViT's
     * patches, then patches and class token): adds its all-ones {@code [batch, time]} mask, with
     * the batch size read from the first dimension of {@code batchSource}.
     *
     * @param time tokens per example, &gt; 0
     * @param batchSource a vertex whose first dimension is the batch (the images, or the mask of a
     *     sequence of the same examples)
     * @return the mask's vertex, to use as the {@code sequenceInput} of the sequence's tensors
     *     ({@link #allTokensMask} returns it for them)
     */
    public String fixedLengthSequence(int time, String batchSource) {
        String name = vertexName("tokens");
        addVertex(name, new UnpaddedMaskVertex(time), batchSource);
        state.tokenMasks.put(name, name);
        return name;
    }

    static String allTokensMask(State state, KerasTensor sequence) {
        String input =
                sequence.sequenceInput()
                        .orElseThrow(
                                () -> new IllegalArgumentException("not a sequence: " + sequence));
        return state.tokenMasks.computeIfAbsent(
                input,
                in -> {
                    String name = in + ".tokens";
                    state.graph.addVertex(
                            name, new SequenceMaskVertex(SequenceMaskVertex.Source.ALL_TOKENS), in);
                    return name;
                });
    }

    /**
     * Reads the layer's weight whose Keras name ends with {@code name} (for example {@code
     * "query/kernel"} matches {@code mha/query/kernel:0}), checking its shape.
     *
     * @param name the weight's name within the layer, without the {@code :0} suffix
     * @param expectedShape the shape the layer's configuration implies
     * @return the weight, as stored
     * @throws IllegalArgumentException when the weight is missing (the message lists the layer's
     *     weights) or its shape differs (the message names layer, weight and both shapes)
     */
    public INDArray weight(String name, long... expectedShape) {
        String full = findWeight(name);
        usedWeights.add(full);
        String[] parts = full.split("/");
        String[] groups = new String[parts.length + 1];
        groups[0] = "model_weights";
        groups[1] = layer.name();
        System.arraycopy(parts, 0, groups, 2, parts.length - 1);
        INDArray value = state.file.readDataSet(parts[parts.length - 1], groups);
        if (!Arrays.equals(value.shape(), expectedShape)) {
            throw new IllegalArgumentException(
                    layer.describe()
                            + ": weight '"
                            + full
                            + "' has shape "
                            + Arrays.toString(value.shape())
                            + " but the layer's configuration implies "
                            + Arrays.toString(expectedShape));
        }
        return value;
    }

    /**
     * @return whether the layer has a weight whose name ends with {@code name}
     */
    public boolean hasWeight(String name) {
        return weightNames.stream().anyMatch(w -> matches(w, name));
    }

    /**
     * Copies {@code value} into parameter {@code param} of DL4J layer {@code vertex} once the graph
     * is initialised (its shape must equal the parameter's).
     */
    public void setParam(String vertex, String param, INDArray value) {
        state.params.add(new ParamAssignment(layer.name(), vertex, param, value));
    }

    /** Records the layer's output tensor. */
    void output(KerasTensor tensor) {
        state.tensors.put(layer.name(), tensor);
    }

    /** The layer's weights that no importer read. */
    List<String> unusedWeights() {
        List<String> unused = new ArrayList<>(weightNames);
        unused.removeAll(usedWeights);
        return unused;
    }

    private KerasTensor tensor(String kerasLayer) {
        KerasTensor t = state.tensors.get(kerasLayer);
        if (t == null) {
            throw new IllegalArgumentException(
                    layer.describe() + ": input layer '" + kerasLayer + "' has not been imported");
        }
        return t;
    }

    private String findWeight(String name) {
        List<String> found = weightNames.stream().filter(w -> matches(w, name)).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException(
                    layer.describe()
                            + ": "
                            + (found.isEmpty() ? "no weight named '" : "several weights match '")
                            + name
                            + "'; its weights in the file: "
                            + weightNames);
        }
        return found.get(0);
    }

    private static boolean matches(String weightName, String name) {
        String bare = weightName.replaceFirst(":\\d+$", "");
        return bare.equals(name) || bare.endsWith("/" + name);
    }
}
