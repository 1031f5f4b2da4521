package org.tl4j.core.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.util.LeafUtils;

/**
 * An Arbiter parameter space whose points are {@link CandidateSettings} (which {@link
 * CandidateSettings#build()} turns into {@link TransferCandidate}s): one strategy's own settings
 * plus the {@link CommonSpace} (head and training). Arbiter's random, grid and genetic candidate
 * generators work on it as on any of its own spaces.
 *
 * <p>A new strategy is one more subclass (as {@link LoraSpace} is for LoRA): name its searched
 * settings in {@link #strategySpaces()}, write a point's values in {@link
 * #strategySettings(double[])}, and teach {@link TransferCandidate#fromSettings} to read them.
 * Settings that a strategy rejects (an out-of-range ratio, more unfrozen layers than the model has)
 * make that candidate fail with the strategy's message; the search goes on.
 */
public abstract class TransferSpace implements ParameterSpace<CandidateSettings> {

    private final CommonSpace common;

    /** A space over {@code common} plus the subclass's strategy settings. */
    protected TransferSpace(CommonSpace common) {
        this.common = Objects.requireNonNull(common, "common");
    }

    /** The shared head and training part of the space. */
    public CommonSpace common() {
        return common;
    }

    /** The strategy's searched settings by name, in a stable order. */
    @SuppressWarnings("rawtypes")
    protected abstract Map<String, ParameterSpace> strategySpaces();

    /**
     * The strategy's settings at one point of the space, by the names {@link
     * TransferCandidate#settings()} uses, starting with {@code "strategy"}; not validated.
     */
    protected abstract Map<String, Object> strategySettings(double[] values);

    @Override
    public final CandidateSettings getValue(double[] values) {
        Map<String, Object> settings = new LinkedHashMap<>();
        try {
            settings.putAll(strategySettings(values));
            settings.putAll(common.settings(values));
        } catch (RuntimeException e) {
            // Failing here would make Arbiter generate failed candidates without end; the
            // candidate's task reports it instead.
            settings.put(
                    CandidateSettings.INVALID,
                    getClass().getSimpleName() + " could not produce a point: " + e);
        }
        return new CandidateSettings(settings);
    }

    @Override
    public final int numParameters() {
        return LeafUtils.countUniqueParameters(collectLeaves());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public final List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> leaves = new ArrayList<>();
        for (ParameterSpace space : getNestedSpaces().values()) {
            leaves.addAll(space.collectLeaves());
        }
        return leaves;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public final Map<String, ParameterSpace> getNestedSpaces() {
        Map<String, ParameterSpace> all = new LinkedHashMap<>(strategySpaces());
        all.putAll(common.spaces());
        return all;
    }

    @Override
    public final boolean isLeaf() {
        return false;
    }

    @Override
    public final void setIndices(int... indices) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName()
                        + " is not a leaf:"
                        + " Arbiter assigns indices to its leaves (collectLeaves), not to it");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + getNestedSpaces();
    }
}
