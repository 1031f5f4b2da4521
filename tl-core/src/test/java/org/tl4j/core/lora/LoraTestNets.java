package org.tl4j.core.lora;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny synthetic graphs shared by the LoRA tests. */
final class LoraTestNets {

    static final int N_IN = 6;
    static final int N_OUT = 3;

    private LoraTestNets() {}

    /** in(6) → fc1(8, tanh) → q(8, identity) → v(5, tanh) → out(3, softmax). */
    static ComputationGraph mlp(DataType dataType, long seed, IUpdater updater) {
        ComputationGraphConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .dataType(dataType)
                        .updater(updater)
                        .weightInit(WeightInit.XAVIER)
                        .graphBuilder()
                        .addInputs("in")
                        .addLayer("fc1", dense(N_IN, 8, Activation.TANH), "in")
                        .addLayer("q", dense(8, 8, Activation.IDENTITY), "fc1")
                        .addLayer("v", dense(8, 5, Activation.TANH), "q")
                        .addLayer(
                                "out",
                                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                        .nIn(5)
                                        .nOut(N_OUT)
                                        .activation(Activation.SOFTMAX)
                                        .build(),
                                "v")
                        .setOutputs("out")
                        .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    static ComputationGraph mlp(long seed) {
        return mlp(DataType.FLOAT, seed, new Adam(1e-2));
    }

    /** A graph with a convolution layer named "conv" before a dense layer "fc". */
    static ComputationGraph cnn(long seed) {
        ComputationGraphConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .updater(new Adam(1e-2))
                        .graphBuilder()
                        .addInputs("in")
                        .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(2).build(), "in")
                        .addLayer("fc", dense(0, 4, Activation.TANH), "conv")
                        .addLayer(
                                "out",
                                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                        .nOut(2)
                                        .activation(Activation.SOFTMAX)
                                        .build(),
                                "fc")
                        .setOutputs("out")
                        .setInputTypes(InputType.convolutional(5, 5, 1))
                        .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Sequence graph: in [b, 4, t] → proj (dense per time step) → lstm → out. */
    static ComputationGraph sequence(long seed) {
        ComputationGraphConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .updater(new Adam(1e-2))
                        .graphBuilder()
                        .addInputs("in")
                        .addLayer("proj", dense(0, 6, Activation.IDENTITY), "in")
                        .addLayer(
                                "lstm",
                                new LSTM.Builder().nOut(5).activation(Activation.TANH).build(),
                                "proj")
                        .addLayer(
                                "out",
                                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                        .nOut(2)
                                        .activation(Activation.SOFTMAX)
                                        .build(),
                                "lstm")
                        .setOutputs("out")
                        .setInputTypes(InputType.recurrent(4))
                        .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static DenseLayer dense(int nIn, int nOut, Activation act) {
        DenseLayer.Builder b = new DenseLayer.Builder().nOut(nOut).activation(act);
        if (nIn > 0) {
            b.nIn(nIn);
        }
        return b.build();
    }

    /** Random features and one-hot labels for {@link #mlp}. */
    static DataSet data(int batch, long seed, DataType dataType) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(dataType, batch, N_IN).subi(0.5);
        INDArray y = Nd4j.zeros(dataType, batch, N_OUT);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % N_OUT, 1.0);
        }
        return new DataSet(x, y);
    }

    /** The standard test configuration: adapt fc1 and q, keep the head, freeze v. */
    static LoraConfig config() {
        return LoraConfig.builder()
                .rank(2)
                .alpha(4)
                .targets("fc1", "q")
                .modulesToSave("out")
                .build();
    }
}
