package org.tl4j.core.train;

/**
 * Receives progress from a {@link Trainer}. The trainer itself does not log progress; listeners do
 * (a progress bar in the command line, a log line per epoch in a library).
 */
public interface TrainingListener {

    /** Called once before the first epoch. */
    default void onStart(String run, int maxEpochs, int batchesPerEpoch) {}

    /** Called after each gradient step. */
    default void onBatch(int epoch, int batch, double loss) {}

    /** Called after each epoch's validation. */
    default void onEpoch(EpochResult result) {}

    /** Called once when training ends, normally or early. */
    default void onEnd(TrainingResult result) {}
}
