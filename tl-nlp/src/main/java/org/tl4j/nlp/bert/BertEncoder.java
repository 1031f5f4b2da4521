package org.tl4j.nlp.bert;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.transformer.Pooling;
import org.tl4j.nlp.tokenize.TokenizedBatch;

/**
 * A BERT-family encoder: its {@link ComputationGraph} (see {@link BertGraphBuilder} for inputs,
 * outputs and layer names), its configuration and sentence pooling.
 */
public final class BertEncoder {

    private final ComputationGraph graph;
    private final BertConfig config;
    private final Pooling pooling;

    /**
     * @param graph a graph built by {@link BertGraphBuilder} for {@code config}
     * @param config its architecture
     * @param pooling its sentence pooling
     */
    public BertEncoder(ComputationGraph graph, BertConfig config, Pooling pooling) {
        this.graph = graph;
        this.config = config;
        this.pooling = pooling;
    }

    /** Both outputs of one forward pass. */
    public record Output(INDArray lastHiddenState, INDArray sentenceEmbedding) {}

    /**
     * Runs the encoder (inference mode).
     *
     * @param batch a tokenised batch of at least one example, no longer than maxPositions
     * @return {@code [batch, time, hidden]} token vectors and {@code [batch, hidden]} pooled ones
     */
    public Output encode(TokenizedBatch batch) {
        if (batch.size() == 0) {
            throw new IllegalArgumentException("batch is empty; pass at least one example");
        }
        if (batch.length() > config.maxPositions()) {
            throw new IllegalArgumentException(
                    "batch length "
                            + batch.length()
                            + " exceeds "
                            + "maxPositions="
                            + config.maxPositions()
                            + "; tokenize with maxLength <= "
                            + config.maxPositions());
        }
        INDArray[] out = graph.output(batch.toGraphInputs());
        return new Output(out[0], out[1]);
    }

    /**
     * @return the DL4J graph (trainable, serialisable, LoRA-ready DenseLayers)
     */
    public ComputationGraph graph() {
        return graph;
    }

    /**
     * @return the architecture
     */
    public BertConfig config() {
        return config;
    }

    /**
     * @return the sentence pooling
     */
    public Pooling pooling() {
        return pooling;
    }
}
