package org.tl4j.vision.zoo;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.tl4j.core.io.ModelFiles;

/** Turns a verified weights file into a {@link ComputationGraph}. */
@FunctionalInterface
public interface GraphLoader {

    /**
     * Loads the graph from a file whose checksum has already been verified.
     *
     * @throws IOException if the file cannot be read as a model
     */
    ComputationGraph load(Path file) throws IOException;

    /** A DL4J ComputationGraph zip, read through {@link ModelFiles#load(Path)}. */
    static GraphLoader computationGraph() {
        return ModelFiles::load;
    }

    /**
     * A DL4J MultiLayerNetwork zip, checked like {@link ModelFiles#load(Path)} and converted to a
     * ComputationGraph whose vertices carry the layer names.
     */
    static GraphLoader multiLayerNetwork() {
        return file -> {
            ModelFiles.checkModelZip(file);
            try {
                MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile());
                return net.toComputationGraph();
            } catch (RuntimeException e) {
                throw new IOException(
                        "cannot read DL4J MultiLayerNetwork " + file + ": " + e.getMessage(), e);
            }
        };
    }
}
