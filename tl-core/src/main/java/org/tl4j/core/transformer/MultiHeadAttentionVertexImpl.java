package org.tl4j.core.transformer;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/** Run-time vertex of {@link MultiHeadAttentionVertex} with a native backward pass. */
final class MultiHeadAttentionVertexImpl extends BaseVertexImpl {

    /** Bias of a masked key: the most negative float, as in Hugging Face's exports. */
    static final double MASK_FILL = -3.4028234663852886e38;

    private final int heads;

    MultiHeadAttentionVertexImpl(
            ComputationGraph graph, String name, int index, DataType dataType, int heads) {
        super(graph, name, index, dataType);
        this.heads = heads;
    }

    /**
     * Per-call shapes and the head-split inputs: {@code width} is the query/key width (heads x key
     * size), {@code valueWidth} the value width (heads x value size).
     */
    private record Split(
            long batch,
            long time,
            long width,
            long valueWidth,
            INDArray q,
            INDArray k,
            INDArray v) {}

    private Split split() {
        INDArray mask = checkedMask(inputs[0], inputs[3], vertexName);
        long batch = mask.size(0);
        long time = mask.size(1);
        long width = inputs[0].size(1);
        long valueWidth = inputs[2].size(1);
        if (inputs[1].size(1) != width) {
            throw new IllegalArgumentException(
                    "Vertex '"
                            + vertexName
                            + "': query width "
                            + width
                            + " differs from key width "
                            + inputs[1].size(1)
                            + "; project both to heads x key size");
        }
        requireDivisible("query/key width", width);
        requireDivisible("value width", valueWidth);
        return new Split(
                batch,
                time,
                width,
                valueWidth,
                toHeads(inputs[0], batch, time, width),
                toHeads(inputs[1], batch, time, width),
                toHeads(inputs[2], batch, time, valueWidth));
    }

    private void requireDivisible(String what, long width) {
        if (width % heads != 0) {
            throw new IllegalArgumentException(
                    "Vertex '"
                            + vertexName
                            + "': "
                            + what
                            + " "
                            + width
                            + " is not divisible by heads="
                            + heads);
        }
    }

    /** [b*t, h] to contiguous [b, heads, t, d]. */
    private INDArray toHeads(INDArray flat, long batch, long time, long hidden) {
        return flat.reshape('c', batch, time, heads, hidden / heads).permute(0, 2, 1, 3).dup('c');
    }

    /** [b, heads, t, d] to contiguous [b*t, h]. */
    private static INDArray fromHeads(INDArray split, long rows, long hidden) {
        return split.permute(0, 2, 1, 3).dup('c').reshape('c', rows, hidden);
    }

    /** Attention probabilities [b, heads, t, t]. */
    private INDArray probabilities(Split s) {
        double scale = 1.0 / Math.sqrt((double) s.width() / heads);
        // Scaling q ([b, heads, t, d]) is cheaper than scaling the scores ([b, heads, t, t])
        INDArray scores = Nd4j.matmul(s.q().mul(scale), s.k(), false, true, false);
        INDArray mask = inputs[3];
        if (mask.minNumber().doubleValue() < 1) {
            INDArray bias = mask.castTo(scores.dataType()).rsub(1.0).muli(MASK_FILL);
            Nd4j.getExecutioner().exec(new BroadcastAddOp(scores, bias, scores, 0, 3));
        }
        INDArray rows = scores.reshape('c', s.batch() * heads * s.time(), s.time());
        Nd4j.getExecutioner().exec(new SoftMax(rows, rows, 1));
        return scores;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("Vertex '" + vertexName + "': inputs not set");
        }
        Split s = split();
        INDArray context = Nd4j.matmul(probabilities(s), s.v());
        INDArray out = fromHeads(context, s.batch() * s.time(), s.valueWidth());
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("Vertex '" + vertexName + "': epsilon not set");
        }
        Split s = split();
        INDArray p = probabilities(s);
        INDArray dContext = toHeads(epsilon, s.batch(), s.time(), s.valueWidth());

        // Through context = P V
        INDArray dV = Nd4j.matmul(p, dContext, true, false, false);
        INDArray dP = Nd4j.matmul(dContext, s.v(), false, true, false);

        // Through the row softmax: dS = P * (dP - rowsum(dP * P)), then the 1/sqrt(d) scale
        long rowCount = s.batch() * heads * s.time();
        INDArray dP2 = dP.reshape('c', rowCount, s.time());
        INDArray p2 = p.reshape('c', rowCount, s.time());
        INDArray rowDot = dP2.mul(p2).sum(true, 1);
        double scale = 1.0 / Math.sqrt((double) s.width() / heads);
        INDArray dS =
                dP2.subiColumnVector(rowDot)
                        .muli(p2)
                        .muli(scale)
                        .reshape('c', s.batch(), heads, s.time(), s.time());

        // Through scores = Q K^T
        INDArray dQ = Nd4j.matmul(dS, s.k());
        INDArray dK = Nd4j.matmul(dS, s.q(), true, false, false);
        long rows = s.batch() * s.time();
        INDArray[] grads = {
            workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, fromHeads(dQ, rows, s.width())),
            workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, fromHeads(dK, rows, s.width())),
            workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, fromHeads(dV, rows, s.valueWidth())),
            workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, inputs[3].ulike().assign(0))
        };
        return new Pair<>(null, grads);
    }
}
