package org.tl4j.nlp.bert;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.tl4j.core.transformer.Pooling;
import org.tl4j.core.transformer.TransformerBlocks;

/**
 * Builds a BERT encoder as a DL4J {@link ComputationGraph}.
 *
 * <p>Inputs (all {@code [batch, time]}, float): {@value #INPUT_IDS}, {@value #TOKEN_TYPE_IDS},
 * {@value #ATTENTION_MASK} (1 = token, 0 = padding) — see {@code TokenizedBatch.toGraphInputs()}.
 * Outputs: {@value #LAST_HIDDEN_STATE} {@code [batch, time, hidden]} and {@value
 * #SENTENCE_EMBEDDING} {@code [batch, hidden]} (pooled). The flat encoder output {@code [batch *
 * time, hidden]} is {@link #encoderOutput(BertConfig)}. Projections are DenseLayers named {@code
 * encoder.<i>.attention.query|key|value|output} and {@code encoder.<i>.ffn.intermediate|output}.
 */
public final class BertGraphBuilder {

    /** Graph input: token ids. */
    public static final String INPUT_IDS = "input_ids";

    /** Graph input: segment ids. */
    public static final String TOKEN_TYPE_IDS = "token_type_ids";

    /** Graph input: padding mask. */
    public static final String ATTENTION_MASK = "attention_mask";

    /** Graph output: token vectors {@code [batch, time, hidden]}. */
    public static final String LAST_HIDDEN_STATE = "last_hidden_state";

    /** Graph output: pooled sentence vectors {@code [batch, hidden]}. */
    public static final String SENTENCE_EMBEDDING = "sentence_embedding";

    private BertGraphBuilder() {}

    /**
     * Adds the encoder to a graph builder: inputs, embeddings, blocks and both outputs (set as the
     * graph's outputs; replace them with {@code setOutputs} to attach a head).
     *
     * @param config the architecture
     * @param pooling how {@value #SENTENCE_EMBEDDING} pools tokens
     * @param base global settings (seed, data type, updater)
     * @return the graph builder, ready to {@code build()}
     */
    public static GraphBuilder graphBuilder(
            BertConfig config, Pooling pooling, NeuralNetConfiguration.Builder base) {
        GraphBuilder g = base.graphBuilder().addInputs(INPUT_IDS, TOKEN_TYPE_IDS, ATTENTION_MASK);
        String x =
                TransformerBlocks.addTextEmbeddings(
                        g,
                        "embeddings",
                        INPUT_IDS,
                        TOKEN_TYPE_IDS,
                        new TransformerBlocks.EmbeddingSizes(
                                config.vocabSize(), config.maxPositions(), config.typeVocabSize()),
                        config.hidden(),
                        config.layerNormEps());
        for (int i = 0; i < config.layers(); i++) {
            x =
                    TransformerBlocks.addEncoderBlock(
                            g, "encoder." + i, x, ATTENTION_MASK, config.block());
        }
        TransformerBlocks.addUnflatten(g, LAST_HIDDEN_STATE, x, ATTENTION_MASK);
        TransformerBlocks.addPooling(g, SENTENCE_EMBEDDING, x, ATTENTION_MASK, pooling);
        return g.setOutputs(LAST_HIDDEN_STATE, SENTENCE_EMBEDDING);
    }

    /**
     * Builds and initialises a randomly initialised float encoder.
     *
     * @param config the architecture
     * @param pooling sentence pooling
     * @param seed random seed of the initial weights
     * @return the initialised graph
     */
    public static ComputationGraph build(BertConfig config, Pooling pooling, long seed) {
        NeuralNetConfiguration.Builder base =
                new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT);
        ComputationGraph graph = new ComputationGraph(graphBuilder(config, pooling, base).build());
        graph.init();
        return graph;
    }

    /**
     * @param config the architecture
     * @return the name of the last block's flat {@code [batch * time, hidden]} output vertex
     */
    public static String encoderOutput(BertConfig config) {
        return "encoder." + (config.layers() - 1) + ".ffn.norm";
    }
}
