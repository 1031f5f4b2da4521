package org.tl4j.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Splits in-memory data sets into minibatches. Every array of a {@link MultiDataSet} (features,
 * labels and their masks) is indexed along its first dimension, the example dimension.
 */
public final class Batches {

    private Batches() {}

    /** Wraps a single-input {@link DataSet} as a {@link MultiDataSet}. */
    public static MultiDataSet toMulti(DataSet data) {
        return new org.nd4j.linalg.dataset.MultiDataSet(
                data.getFeatures(), data.getLabels(),
                data.getFeaturesMaskArray(), data.getLabelsMaskArray());
    }

    /** Number of examples in {@code data}. */
    public static int size(MultiDataSet data) {
        return (int) data.getLabels(0).size(0);
    }

    /** Batches in the data's own order; the last may be smaller. */
    public static List<MultiDataSet> ordered(MultiDataSet data, int batchSize) {
        int[] order = new int[size(data)];
        Arrays.setAll(order, i -> i);
        return batches(data, order, batchSize);
    }

    /** Batches in an order shuffled by {@code random}; the last may be smaller. */
    public static List<MultiDataSet> shuffled(MultiDataSet data, int batchSize, Random random) {
        int[] order = new int[size(data)];
        Arrays.setAll(order, i -> i);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return batches(data, order, batchSize);
    }

    private static List<MultiDataSet> batches(MultiDataSet data, int[] order, int batchSize) {
        List<MultiDataSet> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
            batches.add(select(data, rows));
        }
        return batches;
    }

    /** The examples at {@code rows}, in that order. */
    public static MultiDataSet select(MultiDataSet data, int[] rows) {
        return new org.nd4j.linalg.dataset.MultiDataSet(
                selectAll(data.getFeatures(), rows),
                selectAll(data.getLabels(), rows),
                selectAll(data.getFeaturesMaskArrays(), rows),
                selectAll(data.getLabelsMaskArrays(), rows));
    }

    private static INDArray[] selectAll(INDArray[] arrays, int[] rows) {
        if (arrays == null) {
            return null;
        }
        INDArray[] selected = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            selected[i] = arrays[i] == null ? null : selectRows(arrays[i], rows);
        }
        return selected;
    }

    /** Rows of an array of any rank, indexed along dimension 0. */
    public static INDArray selectRows(INDArray array, int[] rows) {
        long[] shape = array.shape();
        long rest = array.length() / shape[0];
        INDArray flat = array.reshape('c', shape[0], rest);
        INDArray picked = Nd4j.pullRows(flat, 1, rows);
        long[] outShape = shape.clone();
        outShape[0] = rows.length;
        return picked.reshape('c', outShape);
    }

    /** Concatenates data sets with the same arrays along the example dimension. */
    public static MultiDataSet concat(List<? extends MultiDataSet> parts) {
        return org.nd4j.linalg.dataset.MultiDataSet.merge(parts);
    }

    /**
     * Checks that features hold no NaN or infinity.
     *
     * @throws IllegalArgumentException naming the split, the input and the first bad example
     */
    public static void requireFinite(String split, MultiDataSet data) {
        INDArray[] features = data.getFeatures();
        for (int i = 0; i < features.length; i++) {
            INDArray f = features[i];
            if (!BooleanIndexing.or(f, Conditions.isNan())
                    && !BooleanIndexing.or(f, Conditions.isInfinite())) {
                continue;
            }
            INDArray flat = f.reshape('c', f.size(0), f.length() / f.size(0));
            for (int row = 0; row < flat.rows(); row++) {
                INDArray r = flat.getRow(row);
                if (BooleanIndexing.or(r, Conditions.isNan())
                        || BooleanIndexing.or(r, Conditions.isInfinite())) {
                    throw new IllegalArgumentException(
                            split
                                    + " features (input "
                                    + i
                                    + ") contain NaN or infinite values, first at example "
                                    + row);
                }
            }
        }
    }
}
