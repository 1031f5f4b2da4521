package org.tl4j.core.tune;

import org.tl4j.core.train.TrainingListener;

/**
 * Stops a candidate's training at its deadline by throwing from the trainer's batch callback:
 * DL4J's fit cannot be interrupted, but it returns to the trainer after every batch.
 */
final class DeadlineGuard implements TrainingListener {

    private final long deadlineNanos;

    /** Stops training once {@link System#nanoTime()} passes {@code deadlineNanos}. */
    DeadlineGuard(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void onBatch(int epoch, int batch, double loss) {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new IllegalStateException(
                    "time limit reached in epoch "
                            + epoch
                            + " at batch "
                            + batch
                            + "; raise the candidate time limit or the search's time");
        }
    }
}
