package org.tl4j.core.tune;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * An Arbiter leaf space of positive numbers spread evenly on a log scale, for learning rates and
 * other scale parameters: between 1e-4 and 1e-2, values below and above 1e-3 are equally likely.
 *
 * <p>Arbiter maps each leaf's share of a candidate vector, a number in [0, 1], to a value; here
 * {@code u} maps to {@code min * (max / min)^u}, so grid search spaces its points evenly in log
 * scale too.
 *
 * <p>Two instances are distinct leaves even with equal bounds (Arbiter identifies leaves by
 * reference), so two rates searched independently never share a value by accident.
 */
public final class LogUniformSpace implements ParameterSpace<Double> {

    private final double min;
    private final double max;
    private int index = -1;

    /**
     * @param min smallest value; greater than 0
     * @param max largest value; at least {@code min}
     */
    public LogUniformSpace(double min, double max) {
        if (!(min > 0) || !Double.isFinite(max) || !(max >= min)) {
            throw new IllegalArgumentException(
                    "LogUniformSpace needs 0 < min <= max (finite),"
                            + " got min="
                            + min
                            + ", max="
                            + max);
        }
        this.min = min;
        this.max = max;
    }

    /** The smallest value. */
    public double min() {
        return min;
    }

    /** The largest value. */
    public double max() {
        return max;
    }

    @Override
    public Double getValue(double[] parameterValues) {
        if (index < 0) {
            throw new IllegalStateException(
                    "LogUniformSpace["
                            + min
                            + ", "
                            + max
                            + "] has no"
                            + " index yet: Arbiter's candidate generator assigns it (setIndices)");
        }
        double u = Math.min(1, Math.max(0, parameterValues[index]));
        return min * Math.pow(max / min, u);
    }

    @Override
    public int numParameters() {
        return 1;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<ParameterSpace> collectLeaves() {
        return List.of(this);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Map.of();
    }

    @Override
    public boolean isLeaf() {
        return true;
    }

    @Override
    public void setIndices(int... indices) {
        if (indices == null || indices.length != 1 || indices[0] < 0) {
            throw new IllegalArgumentException(
                    "LogUniformSpace takes exactly one non-negative"
                            + " index, got "
                            + Arrays.toString(indices));
        }
        this.index = indices[0];
    }

    @Override
    public String toString() {
        return "LogUniform(" + min + ", " + max + ")";
    }
}
