package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A two-block encoder of hidden size 8 with a regression head, for fast unit tests. */
public final class TinyEncoder {

    public static final int VOCAB = 7;
    public static final int POSITIONS = 6;
    public static final int HIDDEN = 8;
    public static final int OUT = 2;

    private TinyEncoder() {}

    public static ComputationGraph build(long seed, IUpdater updater, Pooling pooling) {
        GraphBuilder g =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .dataType(DataType.DOUBLE)
                        .updater(updater)
                        .graphBuilder()
                        .addInputs("input_ids", "token_type_ids", "attention_mask");
        EncoderBlockConfig block =
                new EncoderBlockConfig(HIDDEN, 2, 12, 1e-12, new ErfGeluActivation());
        String x =
                TransformerBlocks.addTextEmbeddings(
                        g,
                        "embeddings",
                        "input_ids",
                        "token_type_ids",
                        new TransformerBlocks.EmbeddingSizes(VOCAB, POSITIONS, 2),
                        HIDDEN,
                        1e-12);
        for (int i = 0; i < 2; i++) {
            x = TransformerBlocks.addEncoderBlock(g, "encoder." + i, x, "attention_mask", block);
        }
        TransformerBlocks.addPooling(g, "pooled", x, "attention_mask", pooling);
        g.addLayer(
                "head",
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(HIDDEN)
                        .nOut(OUT)
                        .activation(Activation.IDENTITY)
                        .build(),
                "pooled");
        g.setOutputs("head");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /** A padded batch: example e has length lengths[e], ids random in [1, VOCAB). */
    public static MultiDataSet batch(long seed, int time, int... lengths) {
        java.util.Random r = new java.util.Random(seed);
        int b = lengths.length;
        INDArray ids = Nd4j.zeros(DataType.DOUBLE, b, time);
        INDArray types = Nd4j.zeros(DataType.DOUBLE, b, time);
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, b, time);
        for (int e = 0; e < b; e++) {
            for (int t = 0; t < lengths[e]; t++) {
                ids.putScalar(e, t, 1 + r.nextInt(VOCAB - 1));
                types.putScalar(e, t, t >= lengths[e] / 2 ? 1 : 0);
                mask.putScalar(e, t, 1);
            }
        }
        INDArray labels = Nd4j.rand(DataType.DOUBLE, b, OUT);
        return new MultiDataSet(new INDArray[] {ids, types, mask}, new INDArray[] {labels});
    }
}
