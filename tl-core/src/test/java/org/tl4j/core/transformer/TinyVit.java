package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A one-block vision transformer on 4x4 images with 2 channels (patch 2, so 4 patches plus the
 * class token), hidden size 4, with a regression head, for fast unit tests.
 */
final class TinyVit {

    static final int SIDE = 4;
    static final int CHANNELS = 2;
    static final int PATCH = 2;
    static final int HIDDEN = 4;
    static final int TOKENS = 5;
    static final int OUT = 2;

    private TinyVit() {}

    static ComputationGraph build(long seed, IUpdater updater) {
        return build(seed, updater, false);
    }

    /**
     * @param stem put a 1x1 convolution (named {@code stem}) between the image and the patches
     */
    static ComputationGraph build(long seed, IUpdater updater, boolean stem) {
        GraphBuilder g =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .dataType(DataType.DOUBLE)
                        .updater(updater)
                        .graphBuilder()
                        .addInputs("image");
        if (stem) {
            g.addLayer(
                    "stem",
                    new ConvolutionLayer.Builder(1, 1)
                            .nOut(CHANNELS)
                            .activation(Activation.TANH)
                            .build(),
                    "image");
        }
        g.addVertex("patches", new PatchExtractionVertex(PATCH), stem ? "stem" : "image");
        g.addLayer(
                "projection",
                new DenseLayer.Builder()
                        .nIn(CHANNELS * PATCH * PATCH)
                        .nOut(HIDDEN)
                        .activation(Activation.IDENTITY)
                        .weightInit(WeightInit.XAVIER)
                        .build(),
                "patches");
        // A larger init than the default 0.02 so that the gradient check sees real signal.
        g.addLayer(
                "class",
                ClassTokenLayer.builder()
                        .size(HIDDEN)
                        .sequenceLength(TOKENS - 1)
                        .weightInit(WeightInit.NORMAL)
                        .build(),
                "projection");
        g.addLayer(
                "position",
                PositionEmbeddingLayer.builder()
                        .size(HIDDEN)
                        .sequenceLength(TOKENS)
                        .weightInit(WeightInit.NORMAL)
                        .build(),
                "class");
        g.addVertex("mask", new UnpaddedMaskVertex(TOKENS), "image");
        EncoderBlockConfig block =
                new EncoderBlockConfig(HIDDEN, 2, 6, 1e-6, new ErfGeluActivation());
        String x =
                TransformerBlocks.addPreNormEncoderBlock(g, "encoder.0", "position", "mask", block);
        TransformerBlocks.addLayerNorm(g, "encoder.norm", x, HIDDEN, 1e-6);
        TransformerBlocks.addPooling(g, "pooled", "encoder.norm", "mask", Pooling.FIRST_TOKEN);
        g.addLayer(
                "head",
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(HIDDEN)
                        .nOut(OUT)
                        .activation(Activation.IDENTITY)
                        .build(),
                "pooled");
        g.setOutputs("head");
        g.setInputTypes(InputType.convolutional(SIDE, SIDE, CHANNELS));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /** Random images and regression targets. */
    static MultiDataSet batch(long seed, int size) {
        Nd4j.getRandom().setSeed(seed);
        INDArray images = Nd4j.rand(DataType.DOUBLE, size, CHANNELS, SIDE, SIDE);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, size, OUT);
        return new MultiDataSet(new INDArray[] {images}, new INDArray[] {labels});
    }
}
