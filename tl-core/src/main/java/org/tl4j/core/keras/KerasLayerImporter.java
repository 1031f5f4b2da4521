package org.tl4j.core.keras;

import java.util.List;

/**
 * Maps one Keras layer class onto DL4J layers and vertices. Implementations are registered by Keras
 * class name in {@link KerasLayerRegistry}.
 */
public interface KerasLayerImporter {

    /**
     * Checks a layer's configuration before any import work, so that a scan reports every problem
     * of a file at once.
     *
     * @param layer the layer's configuration
     * @return what prevents the import (one sentence each), empty when the layer can be imported
     */
    default List<String> check(KerasLayerConfig layer) {
        return List.of();
    }

    /**
     * Adds the layer to the graph under construction: its vertices (named after {@link
     * KerasImportContext#vertexName(String)}) and their weights, read through the context by their
     * Keras names.
     *
     * @param context the layer, its input tensors, the graph and the weight file
     * @return the layer's output tensor
     * @throws IllegalArgumentException when the inputs or weights do not fit the configuration
     */
    KerasTensor importLayer(KerasImportContext context);
}
