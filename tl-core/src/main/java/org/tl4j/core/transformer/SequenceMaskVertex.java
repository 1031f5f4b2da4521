package org.tl4j.core.transformer;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Produces the {@code [batch, time]} padding mask that attention, pooling and {@link
 * UnflattenSequenceVertex} read, from one input:
 *
 * <ul>
 *   <li>{@link Source#ALL_TOKENS}: a {@code [batch, time, features]} sequence; every position is a
 *       token (all ones). For models without padding (ViT) or without a mask input.
 *   <li>{@link Source#KEY_MASK}: a key mask {@code [batch, 1, time]} (Keras's attention mask,
 *       broadcast over queries) or {@code [batch, time]}; 1 (or true) keeps a key, 0 masks it.
 * </ul>
 *
 * <p>The mask is not differentiable: its input gradient is zero.
 */
public class SequenceMaskVertex extends BaseVertexConf {

    private static final long serialVersionUID = 1L;

    /** Where the mask comes from. */
    public enum Source {
        /** All ones, shaped after a {@code [batch, time, features]} sequence. */
        ALL_TOKENS,
        /** A {@code [batch, 1, time]} or {@code [batch, time]} key mask, reshaped. */
        KEY_MASK
    }

    private Source source;

    /** For JSON deserialisation only. */
    public SequenceMaskVertex() {
        this.source = Source.ALL_TOKENS;
    }

    /**
     * @param source where the mask comes from, not null
     */
    public SequenceMaskVertex(Source source) {
        if (source == null) {
            throw new IllegalArgumentException(
                    "source must not be null; use ALL_TOKENS or KEY_MASK");
        }
        this.source = source;
    }

    /**
     * @return where the mask comes from
     */
    public Source getSource() {
        return source;
    }

    /**
     * @param source where the mask comes from; for JSON
     */
    public void setSource(Source source) {
        this.source = source;
    }

    @Override
    int inputCount() {
        return 1;
    }

    @Override
    public SequenceMaskVertex clone() {
        return new SequenceMaskVertex(source);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceMaskVertex other && other.source == source;
    }

    @Override
    public int hashCode() {
        return 31 * SequenceMaskVertex.class.hashCode() + source.hashCode();
    }

    @Override
    BaseVertexImpl instantiate(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new Impl(graph, name, idx, dataType, source);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        return inputTypes[0];
    }

    /** Run-time vertex. */
    static final class Impl extends BaseVertexImpl {

        private final Source source;

        Impl(ComputationGraph graph, String name, int idx, DataType dataType, Source source) {
            super(graph, name, idx, dataType);
            this.source = source;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray in = inputs[0];
            INDArray mask =
                    source == Source.ALL_TOKENS
                            ? allTokens(in)
                            : keyMask(in).castTo(dataType).reshape('c', in.size(0), -1);
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, mask);
        }

        private INDArray allTokens(INDArray in) {
            if (in.rank() != 3) {
                throw new IllegalArgumentException(
                        "Vertex '"
                                + vertexName
                                + "': expected a [batch, time, features] sequence, got shape "
                                + Arrays.toString(in.shape()));
            }
            return org.nd4j.linalg.factory.Nd4j.ones(dataType, in.size(0), in.size(1));
        }

        private INDArray keyMask(INDArray in) {
            boolean ok = in.rank() == 2 || (in.rank() == 3 && in.size(1) == 1);
            if (!ok) {
                throw new IllegalArgumentException(
                        "Vertex '"
                                + vertexName
                                + "': expected a key mask [batch, 1, time] or [batch, time], got"
                                + " shape "
                                + Arrays.toString(in.shape())
                                + "; masks that differ per query (causal, [batch, time, time])"
                                + " are not supported");
            }
            return in;
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr mgr) {
            INDArray zero =
                    mgr.create(ArrayType.ACTIVATION_GRAD, inputs[0].dataType(), inputs[0].shape());
            return new Pair<>(null, new INDArray[] {zero.assign(0)});
        }
    }
}
