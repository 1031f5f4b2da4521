package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;

/**
 * Adds transformer building blocks to a DL4J {@link GraphBuilder}, with the vertex names that LoRA
 * and the importers rely on.
 *
 * <p>Names of one encoder block with prefix {@code encoder.3}: dense layers {@code
 * encoder.3.attention.query}, {@code .key}, {@code .value}, {@code .output}, {@code
 * encoder.3.ffn.intermediate}, {@code encoder.3.ffn.output}; LayerNorms {@code
 * encoder.3.attention.norm}, {@code encoder.3.ffn.norm}; vertices {@code encoder.3.attention.self},
 * {@code encoder.3.attention.residual}, {@code encoder.3.ffn.residual}. Activations are flat {@code
 * [batch * time, hidden]}; the mask is a {@code [batch, time]} input.
 */
public final class TransformerBlocks {

    /** Standard deviation of BERT's initial weights. */
    public static final double INIT_STD = 0.02;

    private static final IActivation IDENTITY = Activation.IDENTITY.getActivationFunction();

    private TransformerBlocks() {}

    /**
     * Adds one post-LayerNorm encoder block.
     *
     * @param g the graph under construction
     * @param prefix name prefix, for example {@code encoder.3}
     * @param input flat {@code [batch * time, hidden]} input vertex
     * @param mask the {@code [batch, time]} padding-mask input
     * @param c block shape
     * @return the name of the block's output vertex
     */
    public static String addEncoderBlock(
            GraphBuilder g, String prefix, String input, String mask, EncoderBlockConfig c) {
        String att = prefix + ".attention";
        String attended = addSelfAttention(g, att, input, input, mask, c);
        addLayerNorm(g, att + ".norm", attended, c.hidden(), c.layerNormEps());

        String ffn = prefix + ".ffn";
        String fed = addFeedForward(g, ffn, att + ".norm", att + ".norm", c);
        addLayerNorm(g, ffn + ".norm", fed, c.hidden(), c.layerNormEps());
        return ffn + ".norm";
    }

    /**
     * Adds one pre-LayerNorm encoder block (the layout of ViT, Dosovitskiy et al.,
     * arXiv:2010.11929, and of GPT-2): {@code x + attention(norm(x))}, then {@code y +
     * ffn(norm(y))}, with no normalisation after the second residual (a ViT adds one after the last
     * block).
     *
     * <p>The names are those of {@link #addEncoderBlock}, so the same LoRA target patterns match:
     * {@code prefix.attention.norm} is the LayerNorm before attention and {@code prefix.ffn.norm}
     * the one before the feed-forward network.
     *
     * @param g the graph under construction
     * @param prefix name prefix, for example {@code encoder.3}
     * @param input flat {@code [batch * time, hidden]} input vertex
     * @param mask the {@code [batch, time]} padding-mask vertex
     * @param c block shape
     * @return the name of the block's output vertex, {@code prefix.ffn.residual}
     */
    public static String addPreNormEncoderBlock(
            GraphBuilder g, String prefix, String input, String mask, EncoderBlockConfig c) {
        String att = prefix + ".attention";
        addLayerNorm(g, att + ".norm", input, c.hidden(), c.layerNormEps());
        String attended = addSelfAttention(g, att, att + ".norm", input, mask, c);

        String ffn = prefix + ".ffn";
        addLayerNorm(g, ffn + ".norm", attended, c.hidden(), c.layerNormEps());
        addFeedForward(g, ffn, ffn + ".norm", attended, c);
        return ffn + ".residual";
    }

    /**
     * Self-attention with its residual, the part both block layouts share: {@code att.query},
     * {@code att.key}, {@code att.value} (dense projections of {@code projected}), {@code att.self}
     * (the attention vertex), {@code att.output} (dense), {@code att.residual} ({@code att.output}
     * plus {@code residual}).
     *
     * @return the name of the residual sum, {@code att.residual}
     */
    private static String addSelfAttention(
            GraphBuilder g,
            String att,
            String projected,
            String residual,
            String mask,
            EncoderBlockConfig c) {
        dense(g, att + ".query", projected, c.hidden(), c.hidden(), IDENTITY);
        dense(g, att + ".key", projected, c.hidden(), c.hidden(), IDENTITY);
        dense(g, att + ".value", projected, c.hidden(), c.hidden(), IDENTITY);
        g.addVertex(
                att + ".self",
                new MultiHeadAttentionVertex(c.heads()),
                att + ".query",
                att + ".key",
                att + ".value",
                mask);
        dense(g, att + ".output", att + ".self", c.hidden(), c.hidden(), IDENTITY);
        g.addVertex(
                att + ".residual",
                new ElementWiseVertex(ElementWiseVertex.Op.Add),
                att + ".output",
                residual);
        return att + ".residual";
    }

    /**
     * The feed-forward network with its residual, the part both block layouts share: {@code
     * ffn.intermediate} (dense with the block's activation), {@code ffn.output} (dense), {@code
     * ffn.residual} ({@code ffn.output} plus {@code residual}).
     *
     * @return the name of the residual sum, {@code ffn.residual}
     */
    private static String addFeedForward(
            GraphBuilder g, String ffn, String input, String residual, EncoderBlockConfig c) {
        dense(g, ffn + ".intermediate", input, c.hidden(), c.ffnSize(), c.activation());
        dense(g, ffn + ".output", ffn + ".intermediate", c.ffnSize(), c.hidden(), IDENTITY);
        g.addVertex(
                ffn + ".residual",
                new ElementWiseVertex(ElementWiseVertex.Op.Add),
                ffn + ".output",
                residual);
        return ffn + ".residual";
    }

    /**
     * Adds BERT's input embeddings: word + learned position + segment (token type), then LayerNorm.
     * Layers: {@code prefix.word}, {@code prefix.position}, {@code prefix.segment} (DL4J
     * EmbeddingLayers, weights {@code [rows, hidden]}), {@code prefix.norm}.
     *
     * @param g the graph under construction
     * @param prefix name prefix, for example {@code embeddings}
     * @param ids the {@code [batch, time]} token-id input
     * @param segments the {@code [batch, time]} segment-id input
     * @param sizes vocabulary, positions and segment counts
     * @param hidden hidden size
     * @param eps LayerNorm epsilon
     * @return the name of the flat {@code [batch * time, hidden]} output
     */
    public static String addTextEmbeddings(
            GraphBuilder g,
            String prefix,
            String ids,
            String segments,
            EmbeddingSizes sizes,
            int hidden,
            double eps) {
        g.addVertex(prefix + ".ids.flat", new FlattenIdsVertex(), ids);
        g.addVertex(prefix + ".segments.flat", new FlattenIdsVertex(), segments);
        g.addVertex(prefix + ".positions.ids", new PositionIdsVertex(), ids);
        embedding(g, prefix + ".word", prefix + ".ids.flat", sizes.vocabulary(), hidden);
        embedding(g, prefix + ".position", prefix + ".positions.ids", sizes.positions(), hidden);
        embedding(g, prefix + ".segment", prefix + ".segments.flat", sizes.segments(), hidden);
        g.addVertex(
                prefix + ".sum",
                new ElementWiseVertex(ElementWiseVertex.Op.Add),
                prefix + ".word",
                prefix + ".position",
                prefix + ".segment");
        addLayerNorm(g, prefix + ".norm", prefix + ".sum", hidden, eps);
        return prefix + ".norm";
    }

    /**
     * Row counts of the three embedding tables.
     *
     * @param vocabulary token vocabulary size, &gt; 0
     * @param positions maximum sequence length, &gt; 0
     * @param segments number of segment (token type) ids, &gt; 0
     */
    public record EmbeddingSizes(int vocabulary, int positions, int segments) {

        /** Validates that every size is positive. */
        public EmbeddingSizes {
            if (vocabulary <= 0 || positions <= 0 || segments <= 0) {
                throw new IllegalArgumentException(
                        "vocabulary, positions and segments must "
                                + "be > 0, got "
                                + vocabulary
                                + ", "
                                + positions
                                + ", "
                                + segments);
            }
        }
    }

    /** Adds a {@link LayerNormLayer} named {@code name}. */
    public static void addLayerNorm(
            GraphBuilder g, String name, String input, int size, double eps) {
        g.addLayer(name, LayerNormLayer.builder().size(size).epsilon(eps).build(), input);
    }

    /** Adds a pooling vertex from flat activations and the mask to {@code [batch, hidden]}. */
    public static void addPooling(
            GraphBuilder g, String name, String input, String mask, Pooling pooling) {
        g.addVertex(name, new SequencePoolingVertex(pooling), input, mask);
    }

    /** Adds a vertex that reshapes flat activations to {@code [batch, time, hidden]}. */
    public static void addUnflatten(GraphBuilder g, String name, String input, String mask) {
        g.addVertex(name, new UnflattenSequenceVertex(), input, mask);
    }

    private static void dense(
            GraphBuilder g, String name, String input, int nIn, int nOut, IActivation activation) {
        g.addLayer(
                name,
                new DenseLayer.Builder()
                        .nIn(nIn)
                        .nOut(nOut)
                        .activation(activation)
                        .weightInit(new NormalDistribution(0, INIT_STD))
                        .biasInit(0.0)
                        .build(),
                input);
    }

    private static void embedding(GraphBuilder g, String name, String input, int rows, int hidden) {
        g.addLayer(
                name,
                new EmbeddingLayer.Builder()
                        .nIn(rows)
                        .nOut(hidden)
                        .hasBias(false)
                        .activation(Activation.IDENTITY)
                        .weightInit(new NormalDistribution(0, INIT_STD))
                        .build(),
                input);
    }
}
