package org.tl4j.core.keras;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.core.transformer.Pooling;
import org.tl4j.core.transformer.SequencePoolingVertex;

/**
 * The Keras HDF5 fixtures under {@code src/test/resources/org/tl4j/core/keras}, written by {@code
 * scripts/make_keras_fixtures.py} with expected outputs computed by NumPy.
 */
final class KerasFixtures {

    private KerasFixtures() {}

    static Path path(String name) {
        URL url = KerasFixtures.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException(
                    "test resource " + name + " missing; run scripts/make_keras_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The imported encoder with a masked-mean pooling over {@code norm2} and a two-class softmax
     * head named {@code head}, trained with {@code updater}.
     */
    static ComputationGraph withHead(ComputationGraph base, IUpdater updater) {
        return new TransferLearning.GraphBuilder(base)
                .fineTuneConfiguration(
                        new FineTuneConfiguration.Builder().updater(updater).seed(7).build())
                .removeVertexAndConnections("norm2.sequence")
                .removeVertexAndConnections("x.tokens")
                .addVertex(
                        "pool",
                        new SequencePoolingVertex(Pooling.MASKED_MEAN),
                        "norm2",
                        "mask.keys")
                .addLayer(
                        "head",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(8)
                                .nOut(2)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "pool")
                .setOutputs("head")
                .build();
    }

    static INDArray npy(String name) {
        File f = path(name).toFile();
        return Nd4j.createFromNpyFile(f).castTo(DataType.FLOAT);
    }
}
