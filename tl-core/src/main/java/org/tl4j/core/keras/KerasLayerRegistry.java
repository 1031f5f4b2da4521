package org.tl4j.core.keras;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Keras layer classes tl4j imports: an immutable map from Keras class name to {@link
 * KerasLayerImporter}. {@link #defaults()} holds tl4j's built-in importers; an application adds its
 * own custom layers with {@code KerasLayerRegistry.defaults().toBuilder().register("MyLayer",
 * importer).build()} and passes the result to {@link KerasModelScan} and {@link
 * KerasModelImporter}.
 *
 * <p>{@code InputLayer} is always supported: the importer turns inputs into graph inputs itself.
 */
public final class KerasLayerRegistry {

    /** The Keras class of model inputs, handled by {@link KerasModelImporter} itself. */
    public static final String INPUT_LAYER = "InputLayer";

    private static final KerasLayerRegistry DEFAULTS =
            new Builder()
                    .register("Dense", new BuiltInImporters.Dense())
                    .register("Activation", new BuiltInImporters.ActivationImporter())
                    .register("Dropout", new BuiltInImporters.Identity())
                    .register("Add", new BuiltInImporters.AddImporter())
                    .register("LayerNormalization", new BuiltInImporters.LayerNorm())
                    .register("MultiHeadAttention", new MultiHeadAttentionImporter())
                    .register("Conv2D", new VitImporters.PatchEmbedding())
                    .register("Reshape", new VitImporters.PatchesToSequence())
                    .register("ClassToken", new VitImporters.ClassToken())
                    .register("AddPositionEmbs", new VitImporters.PositionEmbedding())
                    .register("SlicingOpLambda", new VitImporters.FirstToken())
                    .build();

    private final Map<String, KerasLayerImporter> importers;

    private KerasLayerRegistry(Map<String, KerasLayerImporter> importers) {
        this.importers = Collections.unmodifiableMap(new LinkedHashMap<>(importers));
    }

    /**
     * @return tl4j's built-in importers: Dense, Activation, Dropout (identity), Add,
     *     LayerNormalization, MultiHeadAttention, and for vision transformers Conv2D (patch
     *     embeddings only), Reshape (patches to a sequence only), ClassToken, AddPositionEmbs and
     *     SlicingOpLambda ({@code x[:, 0]} only); see {@code VitImporters}
     */
    public static KerasLayerRegistry defaults() {
        return DEFAULTS;
    }

    /**
     * @return a builder holding this registry's importers
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.importers.putAll(importers);
        return b;
    }

    /**
     * @return the importer of Keras class {@code className}, if registered
     */
    public Optional<KerasLayerImporter> importer(String className) {
        return Optional.ofNullable(importers.get(className));
    }

    /**
     * @return whether layers of Keras class {@code className} can be imported
     */
    public boolean supports(String className) {
        return INPUT_LAYER.equals(className) || importers.containsKey(className);
    }

    /**
     * @return the supported Keras class names, {@code InputLayer} first, then in registration order
     */
    public List<String> supportedClasses() {
        List<String> names = new ArrayList<>();
        names.add(INPUT_LAYER);
        names.addAll(importers.keySet());
        return names;
    }

    /** Builds a registry; {@link #register} replaces an earlier importer of the same class. */
    public static final class Builder {

        private final Map<String, KerasLayerImporter> importers = new LinkedHashMap<>();

        private Builder() {}

        /**
         * @param className the Keras class name as in the file's {@code class_name}, not blank; not
         *     {@code InputLayer}
         * @param importer its importer, not null
         * @return this builder
         */
        public Builder register(String className, KerasLayerImporter importer) {
            if (className == null || className.isBlank() || INPUT_LAYER.equals(className)) {
                throw new IllegalArgumentException(
                        "className must be a Keras class name other than InputLayer, got '"
                                + className
                                + "'");
            }
            if (importer == null) {
                throw new IllegalArgumentException(
                        "importer for '" + className + "' must not be null");
            }
            importers.put(className, importer);
            return this;
        }

        /**
         * @return the registry
         */
        public KerasLayerRegistry build() {
            return new KerasLayerRegistry(importers);
        }
    }
}
