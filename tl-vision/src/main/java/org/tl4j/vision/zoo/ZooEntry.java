package org.tl4j.vision.zoo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * One pretrained model the {@link ZooCatalog} can load: where its weights live (a path relative to
 * the download base URL, and the Adler32 checksum of the file), how to turn the file into a graph,
 * and how to use the graph for transfer (input type, normalisation, feature vertex, head).
 *
 * <p>The built-in entries come from {@link ZooModels}; tests and users add their own with {@link
 * #builder(String)}.
 */
public final class ZooEntry {

    private final String name;
    private final String relativePath;
    private final long checksum;
    private final GraphLoader loader;
    private final InputType inputType;
    private final String featureVertex;
    private final List<String> headVertices;
    private final Supplier<DataNormalization> normalizer;

    private ZooEntry(Builder b) {
        this.name = b.name;
        this.relativePath = b.relativePath;
        this.checksum = b.checksum;
        this.loader = b.loader;
        this.inputType = b.inputType;
        this.featureVertex = b.featureVertex;
        this.headVertices = List.copyOf(b.headVertices);
        this.normalizer = b.normalizer;
    }

    /** Starts an entry called {@code name} (lower case, e.g. {@code "resnet50"}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The catalog name; also the cache sub-folder, as in DL4J's own zoo cache. */
    public String name() {
        return name;
    }

    /** The weights' path relative to the base URL, e.g. {@code models/lenet.zip}. */
    public String relativePath() {
        return relativePath;
    }

    /** The file name of the weights (the last part of {@link #relativePath()}). */
    public String fileName() {
        return relativePath.substring(relativePath.lastIndexOf('/') + 1);
    }

    /** The Adler32 checksum of the weights file. */
    public long checksum() {
        return checksum;
    }

    /** How the verified file becomes a graph. */
    public GraphLoader loader() {
        return loader;
    }

    /** The input type the network expects. */
    public InputType inputType() {
        return inputType;
    }

    /** The vertex whose output feeds a new head. */
    public String featureVertex() {
        return featureVertex;
    }

    /** The vertices a new head replaces. */
    public List<String> headVertices() {
        return headVertices;
    }

    /** A fresh instance of the input normalisation the weights expect, if any. */
    public Optional<DataNormalization> normalizer() {
        return normalizer == null ? Optional.empty() : Optional.ofNullable(normalizer.get());
    }

    @Override
    public String toString() {
        return "ZooEntry{"
                + name
                + ", "
                + relativePath
                + ", adler32="
                + checksum
                + ", input="
                + inputType
                + ", features="
                + featureVertex
                + ", head="
                + headVertices
                + "}";
    }

    /** Builder for {@link ZooEntry}; {@link #build()} checks that every required field is set. */
    public static final class Builder {
        private final String name;
        private String relativePath;
        private long checksum;
        private boolean checksumSet;
        private GraphLoader loader = GraphLoader.computationGraph();
        private InputType inputType;
        private String featureVertex;
        private List<String> headVertices = List.of();
        private Supplier<DataNormalization> normalizer;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Path of the weights relative to the base URL, with '/' separators. Required. */
        public Builder relativePath(String relativePath) {
            this.relativePath = Objects.requireNonNull(relativePath, "relativePath");
            return this;
        }

        /** Adler32 checksum of the weights file (0 .. 2^32-1). Required. */
        public Builder checksum(long checksum) {
            this.checksum = checksum;
            this.checksumSet = true;
            return this;
        }

        /** How to load the file; default {@link GraphLoader#computationGraph()}. */
        public Builder loader(GraphLoader loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** Input type of the network. Required. */
        public Builder inputType(InputType inputType) {
            this.inputType = Objects.requireNonNull(inputType, "inputType");
            return this;
        }

        /** Vertex whose output feeds a new head. Required. */
        public Builder featureVertex(String featureVertex) {
            this.featureVertex = Objects.requireNonNull(featureVertex, "featureVertex");
            return this;
        }

        /** Vertices a new head replaces; default none. */
        public Builder headVertices(String... headVertices) {
            this.headVertices = List.of(headVertices);
            return this;
        }

        /** Input normalisation the weights expect (a new instance per call); default none. */
        public Builder normalizer(Supplier<DataNormalization> normalizer) {
            this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
            return this;
        }

        /** Validates and builds. */
        public ZooEntry build() {
            if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
                throw new IllegalArgumentException(
                        "name must be lower-case letters, digits,"
                                + " '.', '_' or '-' (it names a cache folder); got '"
                                + name
                                + "'");
            }
            require("relativePath", relativePath);
            require("inputType", inputType);
            require("featureVertex", featureVertex);
            if (relativePath.startsWith("/")
                    || relativePath.contains("..")
                    || relativePath.endsWith("/")) {
                throw new IllegalArgumentException(
                        "relativePath must be a relative file path"
                                + " without '..'; got '"
                                + relativePath
                                + "'");
            }
            if (!checksumSet || checksum < 0 || checksum > 0xFFFFFFFFL) {
                throw new IllegalArgumentException(
                        "checksum must be set to an Adler32 value in"
                                + " 0..4294967295 for entry '"
                                + name
                                + "'; got "
                                + (checksumSet ? checksum : "none"));
            }
            return new ZooEntry(this);
        }

        private void require(String field, Object value) {
            if (value == null) {
                throw new IllegalArgumentException(
                        field
                                + " is required for zoo entry '"
                                + name
                                + "'; call "
                                + field
                                + "(...) before build()");
            }
        }
    }
}
