package org.tl4j.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.testing.TinyNetworks;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;

/** The grafted graph is checked against the same network built by hand from scratch. */
@Timeout(60)
class GraphSurgeryTest {

    @Test
    void adapt_newHead_matchesHandBuiltNetworkWithCopiedParameters() {
        PretrainedModel base = TinyNetworks.pretrained(1, false);
        AdaptedModel model =
                FeatureExtraction.defaults()
                        .adapt(
                                base,
                                HeadConfig.builder(5).hiddenSizes(java.util.List.of(6)).build(),
                                2);
        ComputationGraph byHand = handBuilt();
        for (String layer : new String[] {"conv1", "features", "head.dense0", "head.output"}) {
            byHand.getLayer(layer).setParams(model.graph().getLayer(layer).params());
        }
        INDArray input = TinyNetworks.images(9, 3, 4).getFeatures();
        assertTrue(
                byHand.outputSingle(input).equalsWithEps(model.graph().outputSingle(input), 1e-6));
    }

    private static ComputationGraph handBuilt() {
        ComputationGraphConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .graphBuilder()
                        .addInputs("in")
                        .addLayer(
                                "conv1",
                                new ConvolutionLayer.Builder(3, 3)
                                        .nOut(4)
                                        .activation(Activation.RELU)
                                        .build(),
                                "in")
                        .addLayer(
                                "pool",
                                new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(),
                                "conv1")
                        .addLayer(
                                "features",
                                new DenseLayer.Builder()
                                        .nOut(8)
                                        .activation(Activation.RELU)
                                        .build(),
                                "pool")
                        .addLayer(
                                "head.dense0",
                                new DenseLayer.Builder()
                                        .nOut(6)
                                        .activation(Activation.RELU)
                                        .build(),
                                "features")
                        .addLayer(
                                "head.output",
                                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                        .nOut(5)
                                        .activation(Activation.SOFTMAX)
                                        .build(),
                                "head.dense0")
                        .setOutputs("head.output")
                        .setInputTypes(InputType.convolutional(6, 6, 1))
                        .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Test
    void multiLayerNetwork_featureExtraction_trainsOnlyTheHead() {
        MultiLayerConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .seed(3)
                        .list()
                        .layer(
                                new DenseLayer.Builder()
                                        .nIn(36)
                                        .nOut(10)
                                        .activation(Activation.RELU)
                                        .build())
                        .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build())
                        .layer(
                                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                        .nOut(2)
                                        .activation(Activation.SOFTMAX)
                                        .build())
                        .setInputType(InputType.feedForward(36))
                        .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        PretrainedModel base =
                PretrainedModel.builder(network)
                        .name("mlp")
                        .inputType(InputType.feedForward(36))
                        .featureVertex("1")
                        .headVertices("2")
                        .build();
        AdaptedModel model = FeatureExtraction.defaults().adapt(base, HeadConfig.of(3), 1);
        INDArray before = model.graph().getLayer("0").params().dup();
        DataSet images = TinyNetworks.images(30, 3, 2);
        DataSet flat = new DataSet(images.getFeatures().reshape(30, 36), images.getLabels());
        new Trainer(TrainingConfig.builder().maxEpochs(2).build()).fit(model, flat, flat);
        assertEquals(before, model.graph().getLayer("0").params());
        assertEquals(8 * 3 + 3, model.parameterCounts().trainable());
    }
}
