package org.tl4j.vision.zoo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.core.model.PretrainedModel;

/**
 * A registry of pretrained models by name: the DL4J zoo CNNs of {@link ZooModels} and any custom
 * {@link ZooEntry}. Loading goes through {@link PretrainedWeights} (cache, mirror, checksum) and
 * returns a {@link PretrainedModel} ready for a transfer strategy.
 *
 * <pre>{@code
 * ZooCatalog catalog = ZooCatalog.defaults();
 * PretrainedModel resnet = catalog.load("resnet50", PretrainedWeights.defaults());
 * }</pre>
 */
public final class ZooCatalog {

    private final Map<String, ZooEntry> entries;

    private ZooCatalog(Map<String, ZooEntry> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** All entries of {@link ZooModels}. */
    public static ZooCatalog defaults() {
        return builder().addDefaults().build();
    }

    /** Starts an empty catalog. */
    public static Builder builder() {
        return new Builder();
    }

    /** The entry names, in the order they were added. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** The entry called {@code name}, if any. */
    public Optional<ZooEntry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * The entry called {@code name}.
     *
     * @throws IllegalArgumentException if there is none; the message lists the names that exist
     */
    public ZooEntry entry(String name) {
        ZooEntry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(
                    "no zoo model named '" + name + "'; known models: " + names());
        }
        return e;
    }

    /**
     * Fetches (or finds in the cache) the weights of {@code name}, verifies them and loads the
     * graph.
     *
     * @throws IllegalArgumentException if the name is unknown, or the loaded graph lacks the
     *     entry's feature or head vertex (the message lists the graph's vertices)
     * @throws IOException if the weights cannot be fetched, verified or read
     */
    public PretrainedModel load(String name, PretrainedWeights weights) throws IOException {
        ZooEntry e = entry(name);
        Path file = weights.fetch(e);
        ComputationGraph graph = e.loader().load(file);
        PretrainedModel.Builder b =
                PretrainedModel.builder(graph)
                        .name(e.name())
                        .inputType(e.inputType())
                        .featureVertex(e.featureVertex())
                        .headVertices(e.headVertices());
        e.normalizer().ifPresent(b::normalizer);
        return b.build();
    }

    /** Builder for {@link ZooCatalog}. */
    public static final class Builder {
        private final Map<String, ZooEntry> entries = new LinkedHashMap<>();

        private Builder() {}

        /** Adds every {@link ZooModels} entry. */
        public Builder addDefaults() {
            for (ZooModels m : ZooModels.values()) {
                add(m.entry());
            }
            return this;
        }

        /**
         * Adds an entry.
         *
         * @throws IllegalArgumentException if an entry of that name exists already
         */
        public Builder add(ZooEntry entry) {
            Objects.requireNonNull(entry, "entry");
            if (entries.containsKey(entry.name())) {
                throw new IllegalArgumentException(
                        "a zoo entry named '"
                                + entry.name()
                                + "' exists already; names in use: "
                                + new ArrayList<>(entries.keySet()));
            }
            entries.put(entry.name(), entry);
            return this;
        }

        /** Builds the catalog. */
        public ZooCatalog build() {
            return new ZooCatalog(entries);
        }
    }
}
