package org.tl4j.core.train;

import java.util.List;
import org.tl4j.core.metrics.MemoryUsage;
import org.tl4j.core.model.ParameterCounts;

/**
 * What training did and cost. The model's parameters are those of {@link #bestEpoch()}.
 *
 * @param history one entry per epoch run
 * @param bestEpoch the epoch with the lowest validation loss, whose parameters were kept
 * @param stoppedEarly whether training stopped before the maximum number of epochs
 * @param trainingSeconds wall time of the whole training, feature computation included
 * @param memory peak JVM heap and ND4J off-heap memory during training
 * @param parameters trainable and frozen parameter counts
 */
public record TrainingResult(
        List<EpochResult> history,
        int bestEpoch,
        boolean stoppedEarly,
        double trainingSeconds,
        MemoryUsage memory,
        ParameterCounts parameters) {

    /** Copies the history. */
    public TrainingResult {
        history = List.copyOf(history);
    }

    /** Number of epochs run. */
    public int epochs() {
        return history.size();
    }
}
