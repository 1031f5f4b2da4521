package org.tl4j.core.metrics;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Accuracy, macro-F1 and per-class precision and recall, computed from a confusion matrix.
 *
 * <p>A class that is never predicted has precision 0; a class that never occurs has recall 0 and is
 * left out of the macro average (so that a test set without some class is not penalised for it).
 *
 * @param confusion {@code confusion[actual][predicted]} counts
 */
public record ClassificationMetrics(long[][] confusion) {

    /** Copies and checks the matrix. */
    public ClassificationMetrics {
        confusion = Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
        for (long[] row : confusion) {
            if (row.length != confusion.length) {
                throw new IllegalArgumentException(
                        "confusion matrix must be square, got "
                                + confusion.length
                                + " rows and a row of "
                                + row.length);
            }
        }
    }

    /**
     * Computes the metrics of predicted probabilities against one-hot labels.
     *
     * @param labels [n, classes] one-hot
     * @param predictions [n, classes] scores; the largest is the predicted class
     */
    public static ClassificationMetrics of(INDArray labels, INDArray predictions) {
        if (!Arrays.equals(labels.shape(), predictions.shape())) {
            throw new IllegalArgumentException(
                    "labels "
                            + Arrays.toString(labels.shape())
                            + " and predictions "
                            + Arrays.toString(predictions.shape())
                            + " must have the same shape");
        }
        int classes = (int) labels.size(1);
        long[][] confusion = new long[classes][classes];
        int[] actual = labels.argMax(1).toIntVector();
        int[] predicted = predictions.argMax(1).toIntVector();
        for (int i = 0; i < actual.length; i++) {
            confusion[actual[i]][predicted[i]]++;
        }
        return new ClassificationMetrics(confusion);
    }

    /** Adds the counts of another evaluation of the same classes. */
    public ClassificationMetrics plus(ClassificationMetrics other) {
        long[][] sum = Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
        for (int i = 0; i < sum.length; i++) {
            for (int j = 0; j < sum.length; j++) {
                sum[i][j] += other.confusion[i][j];
            }
        }
        return new ClassificationMetrics(sum);
    }

    /** Number of classes. */
    public int numClasses() {
        return confusion.length;
    }

    /** Number of examples evaluated. */
    public long count() {
        return Arrays.stream(confusion).flatMapToLong(Arrays::stream).sum();
    }

    /** Fraction of examples whose predicted class is the actual one; 0 when nothing counted. */
    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < confusion.length; i++) {
            correct += confusion[i][i];
        }
        return count() == 0 ? 0 : (double) correct / count();
    }

    /** Of the examples predicted as {@code c}, the fraction that are {@code c}. */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    /** Of the examples of class {@code c}, the fraction predicted as {@code c}. */
    public double recall(int c) {
        long actual = Arrays.stream(confusion[c]).sum();
        return actual == 0 ? 0 : (double) confusion[c][c] / actual;
    }

    /** Harmonic mean of precision and recall of class {@code c}. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Unweighted mean of the per-class F1 over the classes that occur. */
    public double macroF1() {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < confusion.length; c++) {
            if (Arrays.stream(confusion[c]).sum() > 0) {
                sum += f1(c);
                present++;
            }
        }
        return present == 0 ? 0 : sum / present;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationMetrics m && Arrays.deepEquals(confusion, m.confusion);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(confusion);
    }

    @Override
    public String toString() {
        return String.format(
                "accuracy %.4f, macro-F1 %.4f over %d examples", accuracy(), macroF1(), count());
    }
}
