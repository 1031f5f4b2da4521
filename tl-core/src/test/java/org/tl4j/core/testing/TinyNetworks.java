package org.tl4j.core.testing;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.core.model.PretrainedModel;

/** Tiny networks and data for fast tests on two CPU cores. */
public final class TinyNetworks {

    /** Input side of the tiny images. */
    public static final int SIDE = 6;

    private TinyNetworks() {}

    /**
     * A 6x6x1 CNN: conv1 (3x3, 4 maps) [-> bn1] -> pool -> features (dense 8) -> output (3
     * classes).
     */
    public static ComputationGraph cnn(long seed, boolean batchNorm) {
        ComputationGraphConfiguration.GraphBuilder g =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .updater(new Adam(1e-2))
                        .graphBuilder()
                        .addInputs("in")
                        .addLayer(
                                "conv1",
                                new ConvolutionLayer.Builder(3, 3)
                                        .nOut(4)
                                        .activation(Activation.RELU)
                                        .build(),
                                "in");
        String below = "conv1";
        if (batchNorm) {
            g.addLayer("bn1", new BatchNormalization.Builder().build(), "conv1");
            below = "bn1";
        }
        g.addLayer("pool", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), below)
                .addLayer(
                        "features",
                        new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(),
                        "pool")
                .addLayer(
                        "output",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(3)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "features")
                .setOutputs("output")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, 1));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /** The tiny CNN described as a pretrained model with head "output". */
    public static PretrainedModel pretrained(long seed, boolean batchNorm) {
        return PretrainedModel.builder(cnn(seed, batchNorm))
                .name("tiny-cnn")
                .inputType(InputType.convolutional(SIDE, SIDE, 1))
                .featureVertex("features")
                .headVertices("output")
                .build();
    }

    /**
     * Learnable synthetic images: class c has a bright patch in a class-specific place, plus noise.
     */
    public static DataSet images(int n, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(n, 1, SIDE, SIDE).muli(0.3);
        INDArray labels = Nd4j.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            labels.putScalar(i, c, 1);
            int row = (c * 2) % (SIDE - 1);
            features.putScalar(new int[] {i, 0, row, row}, 1.0);
            features.putScalar(new int[] {i, 0, row + 1, row}, 1.0);
        }
        return new DataSet(features, labels);
    }
}
