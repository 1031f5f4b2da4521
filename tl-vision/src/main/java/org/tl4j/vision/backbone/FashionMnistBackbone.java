package org.tl4j.vision.backbone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.core.io.ModelFiles;
import org.tl4j.core.model.PretrainedModel;

/**
 * A small LeNet-style CNN that tl4j pretrains on Fashion-MNIST and ships as its offline default
 * backbone for transfer to other 28x28 grey images (MNIST digits in the default comparison).
 *
 * <p>Architecture (a {@link ComputationGraph} with named vertices), input {@code [n, 1, 28, 28]}
 * with pixels in 0..1 as {@link org.tl4j.vision.data.VisionDatasets} returns them:
 *
 * <pre>
 * input -> conv1 (5x5, 20, ReLU) -> pool1 (max 2x2) -> conv2 (5x5, 50, ReLU) -> pool2 (max 2x2)
 *       -> features (dense 256, ReLU) -> output (softmax 10, multi-class cross-entropy)
 * </pre>
 *
 * Trained with Adam (learning rate 1e-3). {@link #pretrained()} loads the shipped weights; the
 * command that re-creates them is in {@link FashionMnistTraining} and in the README beside the
 * resource.
 */
public final class FashionMnistBackbone {

    /** Name of the graph input. */
    public static final String INPUT = "input";

    /** Name of the dense layer of 256 units between the convolutions and the output. */
    public static final String FEATURE_VERTEX = "features";

    /**
     * The vertex new heads go on: the last pooling layer, whose 4x4x50 = 800 convolutional features
     * transfer to other grey-image domains. The dense layer above it ({@value #FEATURE_VERTEX}) is
     * specific to clothing: measured on MNIST digits at 10 labels per class, a linear head on it
     * reached 66 % test accuracy, on this vertex 80 %.
     */
    public static final String TRANSFER_VERTEX = "pool2";

    /** Name of the 10-class softmax output layer (the head). */
    public static final String OUTPUT_VERTEX = "output";

    /** Classpath location of the shipped pretrained weights. */
    public static final String RESOURCE = "/org/tl4j/vision/backbone/fashion-mnist-cnn.zip";

    /** Input type: 28x28 grey images. */
    public static final InputType INPUT_TYPE = InputType.convolutional(28, 28, 1);

    /** Adam learning rate of the architecture. */
    public static final double LEARNING_RATE = 1e-3;

    private FashionMnistBackbone() {}

    /**
     * The network, untrained, with weights initialised from {@code seed}: the same architecture as
     * {@link #pretrained()}, used as the from-scratch baseline.
     */
    public static ComputationGraph architecture(long seed) {
        ComputationGraph graph = new ComputationGraph(configuration(seed));
        graph.init();
        return graph;
    }

    /** The configuration of {@link #architecture(long)}. */
    public static ComputationGraphConfiguration configuration(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.RELU)
                .graphBuilder()
                .addInputs(INPUT)
                .addLayer("conv1", conv(20), INPUT)
                .addLayer("pool1", pool(), "conv1")
                .addLayer("conv2", conv(50), "pool1")
                .addLayer("pool2", pool(), "conv2")
                .addLayer(
                        FEATURE_VERTEX,
                        new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build(),
                        "pool2")
                .addLayer(
                        OUTPUT_VERTEX,
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(10)
                                .activation(Activation.SOFTMAX)
                                .weightInit(WeightInit.XAVIER)
                                .build(),
                        FEATURE_VERTEX)
                .setOutputs(OUTPUT_VERTEX)
                .setInputTypes(INPUT_TYPE)
                .build();
    }

    /**
     * The shipped network pretrained on Fashion-MNIST, described for transfer: feature vertex
     * {@value #TRANSFER_VERTEX}, head {@value #FEATURE_VERTEX} and {@value #OUTPUT_VERTEX} (both
     * replaced by a new head), input {@code convolutional(28, 28, 1)}, no normaliser (inputs are
     * expected in 0..1, as the IDX reader scales them).
     *
     * @throws UncheckedIOException if the resource is missing or cannot be read
     */
    public static PretrainedModel pretrained() {
        return describe(loadShipped(), "fashion-mnist-cnn");
    }

    /** Describes a graph of this architecture (trained or not) as a {@link PretrainedModel}. */
    public static PretrainedModel describe(ComputationGraph graph, String name) {
        return PretrainedModel.builder(graph)
                .name(name)
                .inputType(INPUT_TYPE)
                .featureVertex(TRANSFER_VERTEX)
                .headVertices(List.of(FEATURE_VERTEX, OUTPUT_VERTEX))
                .build();
    }

    private static ComputationGraph loadShipped() {
        Path tmp = null;
        try (InputStream in = FashionMnistBackbone.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(
                        "resource "
                                + RESOURCE
                                + " is missing from the classpath;"
                                + " re-create it with FashionMnistTraining (see the README)");
            }
            tmp = Files.createTempFile("tl4j-fashion-mnist-cnn", ".zip");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return ModelFiles.load(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the shipped Fashion-MNIST backbone", e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a stray temp file is harmless; the load result does not depend on it
            }
        }
    }

    private static ConvolutionLayer conv(int filters) {
        return new ConvolutionLayer.Builder(5, 5)
                .nOut(filters)
                .stride(1, 1)
                .activation(Activation.RELU)
                .build();
    }

    private static SubsamplingLayer pool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build();
    }

    /**
     * Re-creates the shipped weights; see {@link FashionMnistTraining#main(String[])}.
     *
     * @param args {@code --data DIR --out FILE [--epochs N] [--seed S] [--batch-size B]}
     */
    public static void main(String[] args) throws IOException {
        FashionMnistTraining.main(args);
    }
}
