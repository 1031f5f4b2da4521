package org.tl4j.core.compare;

import java.util.List;
import org.tl4j.core.train.EpochResult;

/**
 * One strategy trained at one label budget and evaluated on the held-out test set.
 *
 * @param task the task's name
 * @param strategy the strategy's name
 * @param labelsPerClass labelled training examples per class
 * @param accuracy test accuracy
 * @param macroF1 test macro-F1
 * @param trainableParameters parameters the optimiser updated
 * @param frozenParameters parameters left as pretrained
 * @param optimizerStateBytes bytes of optimiser state for the trainable parameters
 * @param trainingSeconds wall time of training, feature computation included
 * @param peakHeapBytes peak JVM heap during training
 * @param peakOffHeapBytes peak ND4J native memory during training
 * @param epochs epochs run
 * @param bestEpoch epoch whose parameters were kept
 * @param history per-epoch losses (learning curves)
 */
public record ComparisonRow(
        String task,
        String strategy,
        int labelsPerClass,
        double accuracy,
        double macroF1,
        long trainableParameters,
        long frozenParameters,
        long optimizerStateBytes,
        double trainingSeconds,
        long peakHeapBytes,
        long peakOffHeapBytes,
        int epochs,
        int bestEpoch,
        List<EpochResult> history) {

    /** Copies the history. */
    public ComparisonRow {
        history = List.copyOf(history);
    }

    /** Peak heap plus native memory in MiB. */
    public double peakMemoryMegabytes() {
        return (peakHeapBytes + peakOffHeapBytes) / (1024.0 * 1024.0);
    }
}
