package org.tl4j.core.tune;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.transformer.EncoderBlockConfig;
import org.tl4j.core.transformer.ErfGeluActivation;
import org.tl4j.core.transformer.Pooling;
import org.tl4j.core.transformer.TransformerBlocks;

/**
 * A tiny LoRA search problem: a two-block text encoder (hidden 8, 2 heads, FFN 12) laid out and
 * named like tl4j's BERT graphs, and token sequences of two classes (only class 1 has token 1).
 */
final class TinyText {

    static final int VOCAB = 7;
    static final int TIME = 6;
    static final int HIDDEN = 8;
    static final int FFN = 12;

    /** Query and value projections of both blocks, as for MiniLM. */
    static final List<String> QUERY_VALUE = List.of("encoder\\.\\d+\\.attention\\.(query|value)");

    /** Every attention projection of both blocks. */
    static final List<String> ATTENTION =
            List.of("encoder\\.\\d+\\.attention\\.(query|key|value|output)");

    static final MultiDataSet TRAIN = sequences(48, 1);
    static final MultiDataSet VALIDATION = sequences(16, 2);

    private TinyText() {}

    /** The encoder with a 3-output regression head "head" on the pooled vertex "pooled". */
    static PretrainedModel pretrained(long seed) {
        GraphBuilder g =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .dataType(DataType.FLOAT)
                        .updater(new Adam(1e-3))
                        .graphBuilder()
                        .addInputs("input_ids", "token_type_ids", "attention_mask");
        EncoderBlockConfig block =
                new EncoderBlockConfig(HIDDEN, 2, FFN, 1e-12, new ErfGeluActivation());
        String x =
                TransformerBlocks.addTextEmbeddings(
                        g,
                        "embeddings",
                        "input_ids",
                        "token_type_ids",
                        new TransformerBlocks.EmbeddingSizes(VOCAB, TIME, 2),
                        HIDDEN,
                        1e-12);
        for (int i = 0; i < 2; i++) {
            x = TransformerBlocks.addEncoderBlock(g, "encoder." + i, x, "attention_mask", block);
        }
        TransformerBlocks.addPooling(g, "pooled", x, "attention_mask", Pooling.MASKED_MEAN);
        g.addLayer(
                "head",
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(HIDDEN)
                        .nOut(3)
                        .activation(Activation.IDENTITY)
                        .build(),
                "pooled");
        g.setOutputs("head");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return PretrainedModel.builder(graph)
                .name("tiny-encoder")
                .featureVertex("pooled")
                .featureType(InputType.feedForward(HIDDEN))
                .headVertices("head")
                .build();
    }

    /**
     * {@code n} padded sequences (lengths 3 to 6), half of each class: a class-1 sequence draws
     * token 1 with probability 0.7, a class-0 one never.
     */
    static MultiDataSet sequences(int n, long seed) {
        Random r = new Random(seed);
        INDArray ids = Nd4j.zeros(DataType.FLOAT, n, TIME);
        INDArray types = Nd4j.zeros(DataType.FLOAT, n, TIME);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, n, TIME);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int e = 0; e < n; e++) {
            int label = e % 2;
            int length = 3 + r.nextInt(TIME - 2);
            for (int t = 0; t < length; t++) {
                boolean one = label == 1 && r.nextDouble() < 0.7;
                ids.putScalar(e, t, one ? 1 : 2 + r.nextInt(VOCAB - 2));
                mask.putScalar(e, t, 1);
            }
            labels.putScalar(e, label, 1);
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(
                new INDArray[] {ids, types, mask}, new INDArray[] {labels});
    }

    /** A linear head, batches of 8, at most 6 epochs. */
    static CommonSpace common(long seed) {
        return CommonSpace.builder(2)
                .batchSize(new FixedValue<>(8))
                .maxEpochs(new FixedValue<>(6))
                .seed(seed)
                .build();
    }

    /**
     * Rank 1, 2 or 4, learning rate log-uniform in [3e-3, 1e-1], query+value or every attention
     * projection.
     */
    static LoraSpace lora(long seed) {
        return LoraSpace.builder(common(seed), QUERY_VALUE)
                .rank(new DiscreteParameterSpace<>(1, 2, 4))
                .learningRate(new LogUniformSpace(3e-3, 1e-1))
                .targets(new DiscreteParameterSpace<>(QUERY_VALUE, ATTENTION))
                .build();
    }
}
