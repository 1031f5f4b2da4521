package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Scaled dot-product multi-head attention core (Vaswani et al., "Attention Is All You Need",
 * arXiv:1706.03762) without projections: {@code softmax(Q K^T / sqrt(d) + maskBias) V} per head.
 *
 * <p>Inputs, in order: query, key, value (each flat {@code [batch * time, width]}, already
 * projected by named DenseLayers) and the padding mask {@code [batch, time]} (1 = token, 0 =
 * padding). Query and key have the same width, {@code heads x d} (the scale is {@code 1 /
 * sqrt(d)}); the value may have another width, {@code heads x dv}, as in Keras's MultiHeadAttention
 * with {@code value_dim != key_dim}. Masked keys get the bias {@code -3.4028235e38} (the float
 * minimum, as Hugging Face exports use). Output: flat {@code [batch * time, heads x dv]}, heads
 * concatenated. No parameters.
 */
public class MultiHeadAttentionVertex extends BaseVertexConf {

    private static final long serialVersionUID = 1L;

    private int heads;

    /** For JSON deserialisation only. */
    public MultiHeadAttentionVertex() {
        this.heads = 1;
    }

    /**
     * @param heads number of attention heads, &gt; 0; must divide the hidden size
     */
    public MultiHeadAttentionVertex(int heads) {
        if (heads <= 0) {
            throw new IllegalArgumentException("heads must be > 0, got " + heads);
        }
        this.heads = heads;
    }

    /**
     * @return the number of attention heads
     */
    public int getHeads() {
        return heads;
    }

    /**
     * @param heads number of heads; for JSON
     */
    public void setHeads(int heads) {
        this.heads = heads;
    }

    @Override
    int inputCount() {
        return 4;
    }

    @Override
    public MultiHeadAttentionVertex clone() {
        return new MultiHeadAttentionVertex(heads);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiHeadAttentionVertex other && other.heads == heads;
    }

    @Override
    public int hashCode() {
        return 17 * heads + 3;
    }

    @Override
    BaseVertexImpl instantiate(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new MultiHeadAttentionVertexImpl(graph, name, idx, dataType, heads);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        return inputTypes[2];
    }
}
