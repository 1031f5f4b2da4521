package org.tl4j.core.transformer;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cuts images {@code [batch, channels, height, width]} (NCHW) into non-overlapping square patches
 * and lays them out as flat token sequences {@code [batch * patches, channels * size * size]}, as
 * ViT's patch embedding does before its linear projection (Dosovitskiy et al., arXiv:2010.11929). A
 * DenseLayer after this vertex is the patch projection; together they equal a convolution with
 * kernel and stride {@code size}.
 *
 * <p>Patches are numbered row by row ({@code patch = row * (width / size) + column}); example
 * {@code b}'s patch {@code p} is row {@code b * patches + p}. Within a patch, values are ordered
 * channel, then row, then column: the layout of a flattened PyTorch convolution weight {@code
 * [hidden, channels, size, size]}. No parameters; the backward pass is the inverse reshape.
 *
 * <p>Images may also come channels-last, {@code [batch, height, width, channels]} ({@link
 * CNN2DFormat#NHWC}, the layout of Keras and TensorFlow); the output layout is the same for both
 * formats.
 */
public class PatchExtractionVertex extends BaseVertexConf {

    private static final long serialVersionUID = 1L;

    private int patchSize;
    private CNN2DFormat format;

    /** For JSON deserialisation only. */
    public PatchExtractionVertex() {
        this.patchSize = 1;
        this.format = CNN2DFormat.NCHW;
    }

    /**
     * @param patchSize side of a square patch in pixels, &gt; 0; must divide the image height and
     *     width
     */
    public PatchExtractionVertex(int patchSize) {
        this(patchSize, CNN2DFormat.NCHW);
    }

    /**
     * @param patchSize side of a square patch in pixels, &gt; 0; must divide the image height and
     *     width
     * @param format the image layout: {@link CNN2DFormat#NCHW} (DL4J's) or {@link CNN2DFormat#NHWC}
     *     (channels last, Keras's), not null
     */
    public PatchExtractionVertex(int patchSize, CNN2DFormat format) {
        if (patchSize <= 0) {
            throw new IllegalArgumentException("patchSize must be > 0, got " + patchSize);
        }
        if (format == null) {
            throw new IllegalArgumentException("format must not be null; use NCHW or NHWC");
        }
        this.patchSize = patchSize;
        this.format = format;
    }

    /**
     * @return the side of a square patch in pixels
     */
    public int getPatchSize() {
        return patchSize;
    }

    /**
     * @param patchSize side of a patch; for JSON
     */
    public void setPatchSize(int patchSize) {
        this.patchSize = patchSize;
    }

    /**
     * @return the image layout
     */
    public CNN2DFormat getFormat() {
        return format;
    }

    /**
     * @param format the image layout; for JSON
     */
    public void setFormat(CNN2DFormat format) {
        this.format = format;
    }

    @Override
    int inputCount() {
        return 1;
    }

    @Override
    public PatchExtractionVertex clone() {
        return new PatchExtractionVertex(patchSize, format);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatchExtractionVertex other
                && other.patchSize == patchSize
                && other.format == format;
    }

    @Override
    public int hashCode() {
        return 41 * patchSize + format.hashCode();
    }

    @Override
    BaseVertexImpl instantiate(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new Impl(graph, name, idx, dataType, patchSize, format);
    }

    /**
     * @return {@code feedForward(channels * size * size)}
     * @throws IllegalArgumentException if the input is not convolutional or the patch size does not
     *     divide its height and width
     */
    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        if (!(inputTypes[0] instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalArgumentException(
                    "PatchExtractionVertex needs convolutional (image) input, got "
                            + inputTypes[0]);
        }
        checkDivides(patchSize, c.getHeight(), c.getWidth());
        return InputType.feedForward(c.getChannels() * patchSize * patchSize);
    }

    /** Number of patches of an image of this size. */
    public static long patchCount(int patchSize, long height, long width) {
        checkDivides(patchSize, height, width);
        return (height / patchSize) * (width / patchSize);
    }

    private static void checkDivides(int patchSize, long height, long width) {
        if (height % patchSize != 0 || width % patchSize != 0) {
            throw new IllegalArgumentException(
                    "patch size "
                            + patchSize
                            + " must divide the image height and width, got "
                            + height
                            + "x"
                            + width);
        }
    }

    /** Run-time vertex: a reshape and permute forward, the inverse backward. */
    static final class Impl extends BaseVertexImpl {

        private final int size;
        private final boolean channelsLast;

        Impl(
                ComputationGraph graph,
                String name,
                int idx,
                DataType dataType,
                int size,
                CNN2DFormat format) {
            super(graph, name, idx, dataType);
            this.size = size;
            this.channelsLast = format == CNN2DFormat.NHWC;
        }

        /** The input's shape as {@code [batch, channels, height, width]}, whatever its format. */
        private long[] checkedShape() {
            long[] s = inputs[0].shape();
            long[] nchw = s.length != 4 || !channelsLast ? s : new long[] {s[0], s[3], s[1], s[2]};
            if (s.length != 4 || nchw[2] % size != 0 || nchw[3] % size != 0) {
                throw new IllegalArgumentException(
                        "Vertex '"
                                + vertexName
                                + "': input shape "
                                + Arrays.toString(s)
                                + " is not "
                                + (channelsLast
                                        ? "[batch, height, width, channels]"
                                        : "[batch, channels, height, width]")
                                + " with height and width divisible by the patch size "
                                + size);
            }
            return nchw;
        }

        /** The input as {@code [batch, rows, columns, channels, size, size]} (a view). */
        private INDArray patchView(long[] s, long gh, long gw) {
            if (channelsLast) {
                return inputs[0]
                        .reshape('c', s[0], gh, size, gw, size, s[1])
                        .permute(0, 1, 3, 5, 2, 4);
            }
            return inputs[0].reshape('c', s[0], s[1], gh, size, gw, size).permute(0, 2, 4, 1, 3, 5);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            long[] s = checkedShape();
            long gh = s[2] / size;
            long gw = s[3] / size;
            INDArray patches = patchView(s, gh, gw);
            INDArray out =
                    workspaceMgr.createUninitialized(
                            ArrayType.ACTIVATIONS,
                            inputs[0].dataType(),
                            new long[] {s[0], gh, gw, s[1], size, size});
            out.assign(patches);
            return out.reshape('c', s[0] * gh * gw, s[1] * size * size);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr mgr) {
            long[] s = checkedShape();
            long gh = s[2] / size;
            long gw = s[3] / size;
            INDArray patches = epsilon.reshape('c', s[0], gh, gw, s[1], size, size);
            int[] order =
                    channelsLast ? new int[] {0, 1, 4, 2, 5, 3} : new int[] {0, 3, 1, 4, 2, 5};
            INDArray images = patches.permute(order);
            INDArray grad =
                    mgr.createUninitialized(
                            ArrayType.ACTIVATION_GRAD, epsilon.dataType(), images.shape());
            grad.assign(images);
            return new Pair<>(null, new INDArray[] {grad.reshape('c', inputs[0].shape())});
        }
    }
}
