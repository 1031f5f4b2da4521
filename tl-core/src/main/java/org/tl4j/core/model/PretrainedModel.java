package org.tl4j.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * A pretrained network together with what a user should not have to look up: the input it expects,
 * how inputs are normalised, the vertex where its features come out, and the head that a new task
 * replaces.
 *
 * <p>Every transfer strategy starts from one of these. The wrapped graph is never modified by tl4j:
 * strategies copy it before they change anything.
 *
 * <p>Build one with {@link #builder(ComputationGraph)} or {@link #builder(MultiLayerNetwork)};
 * {@link Builder#build()} checks that the named vertices exist.
 */
public final class PretrainedModel {

    private final String name;
    private final ComputationGraph graph;
    private final List<InputType> inputTypes;
    private final InputType featureType;
    private final String featureVertex;
    private final List<String> headVertices;
    private final DataNormalization normalizer;

    private PretrainedModel(Builder b) {
        this.name = b.name;
        this.graph = b.graph;
        this.inputTypes = List.copyOf(b.inputTypes);
        this.featureType = b.featureType != null ? b.featureType : inferFeatureType(b);
        this.featureVertex = b.featureVertex;
        this.headVertices = List.copyOf(b.headVertices);
        this.normalizer = b.normalizer;
    }

    /** Starts a description of a pretrained {@link ComputationGraph}. */
    public static Builder builder(ComputationGraph graph) {
        return new Builder(Objects.requireNonNull(graph, "graph"));
    }

    /**
     * Starts a description of a pretrained {@link MultiLayerNetwork}. The network is converted to
     * an equivalent {@link ComputationGraph} whose vertices are named by layer index ("0", "1",
     * ...), whatever names the layers have: refer to them by index.
     */
    public static Builder builder(MultiLayerNetwork network) {
        Objects.requireNonNull(network, "network");
        return new Builder(network.toComputationGraph());
    }

    /** A short human-readable name, e.g. {@code "fashion-mnist-cnn"}. */
    public String name() {
        return name;
    }

    /** The pretrained graph. Treat it as read-only: strategies work on copies. */
    public ComputationGraph graph() {
        return graph;
    }

    /**
     * The input type of the network's single input, e.g. {@code convolutional(28, 28, 1)}.
     *
     * @throws IllegalStateException if the network has several inputs (use {@link #inputTypes()})
     */
    public InputType inputType() {
        if (inputTypes.size() != 1) {
            throw new IllegalStateException(
                    name
                            + " has "
                            + inputTypes.size()
                            + " inputs "
                            + graph.getConfiguration().getNetworkInputs()
                            + ": use inputTypes()");
        }
        return inputTypes.get(0);
    }

    /** The input types of the network's inputs, in the order of the graph's inputs. */
    public List<InputType> inputTypes() {
        return inputTypes;
    }

    /** The vertex whose output is the feature vector a new head is put on. */
    public String featureVertex() {
        return featureVertex;
    }

    /** The vertices after the feature vertex that a new head replaces (in graph order). */
    public List<String> headVertices() {
        return headVertices;
    }

    /** The input normalisation the network was trained with, if any. */
    public Optional<DataNormalization> normalizer() {
        return Optional.ofNullable(normalizer);
    }

    /** Number of features that come out of the feature vertex for one example. */
    public long featureSize() {
        return featureType().arrayElementsPerExample();
    }

    /** The output type of the feature vertex, e.g. {@code feedForward(128)}. */
    public InputType featureType() {
        return featureType;
    }

    private static InputType inferFeatureType(Builder b) {
        Map<String, InputType> types =
                b.graph
                        .getConfiguration()
                        .getLayerActivationTypes(b.inputTypes.toArray(InputType[]::new));
        return types.get(b.featureVertex);
    }

    @Override
    public String toString() {
        return "PretrainedModel{"
                + name
                + ", inputs="
                + inputTypes
                + ", features="
                + featureVertex
                + ", head="
                + headVertices
                + "}";
    }

    /** Builder for {@link PretrainedModel}; {@link #build()} validates and never mutates it. */
    public static final class Builder {
        private final ComputationGraph graph;
        private String name = "model";
        private List<InputType> inputTypes = List.of();
        private InputType featureType;
        private String featureVertex;
        private List<String> headVertices = List.of();
        private DataNormalization normalizer;

        private Builder(ComputationGraph graph) {
            this.graph = graph;
        }

        /** Human-readable name; default {@code "model"}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Input type of the network's single input. Required (or {@link #inputTypes}). */
        public Builder inputType(InputType inputType) {
            return inputTypes(Objects.requireNonNull(inputType, "inputType"));
        }

        /** Input types of the network's inputs, in the graph's input order. */
        public Builder inputTypes(InputType... inputTypes) {
            this.inputTypes = List.of(inputTypes);
            return this;
        }

        /**
         * The output type of the feature vertex, for graphs whose layer types DL4J cannot infer
         * (e.g. transformer encoders); when set, input types are optional. Default: inferred from
         * the input types.
         */
        public Builder featureType(InputType featureType) {
            this.featureType = Objects.requireNonNull(featureType, "featureType");
            return this;
        }

        /** Vertex whose output feeds a new head. Required; must exist in the graph. */
        public Builder featureVertex(String featureVertex) {
            this.featureVertex = Objects.requireNonNull(featureVertex, "featureVertex");
            return this;
        }

        /** Vertices that a new head replaces; each must exist. Default: none. */
        public Builder headVertices(Collection<String> headVertices) {
            this.headVertices = new ArrayList<>(headVertices);
            return this;
        }

        /** Vertices that a new head replaces; each must exist. */
        public Builder headVertices(String... headVertices) {
            return headVertices(List.of(headVertices));
        }

        /** Input normalisation the network was trained with; default none. */
        public Builder normalizer(DataNormalization normalizer) {
            this.normalizer = normalizer;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException if a named vertex does not exist (the message lists the
         *     vertices that do), if the graph has more than one input, or if the feature vertex is
         *     also a head vertex
         * @throws IllegalStateException if the input type or feature vertex was not set
         */
        public PretrainedModel build() {
            if (inputTypes.isEmpty() && featureType == null) {
                throw new IllegalStateException(
                        "inputType is not set: call inputType(...) or featureType(...)");
            }
            if (featureVertex == null) {
                throw new IllegalStateException(
                        "featureVertex is not set: call featureVertex(...)");
            }
            List<String> inputs = graph.getConfiguration().getNetworkInputs();
            if (!inputTypes.isEmpty() && inputs.size() != inputTypes.size()) {
                throw new IllegalArgumentException(
                        "inputTypes: the graph has "
                                + inputs.size()
                                + " inputs "
                                + inputs
                                + " but "
                                + inputTypes.size()
                                + " input types were given: "
                                + inputTypes);
            }
            GraphVertices.require(graph, "featureVertex", featureVertex);
            for (String head : headVertices) {
                GraphVertices.require(graph, "headVertices", head);
            }
            if (headVertices.contains(featureVertex)) {
                throw new IllegalArgumentException(
                        "featureVertex '"
                                + featureVertex
                                + "' is also listed in headVertices "
                                + headVertices
                                + ": the head must come after the features");
            }
            return new PretrainedModel(this);
        }
    }

    static TreeSet<String> sortedVertexNames(ComputationGraph graph) {
        return new TreeSet<>(graph.getConfiguration().getVertices().keySet());
    }
}
