package org.tl4j.core.train;

/**
 * What one epoch of training measured.
 *
 * @param epoch 1-based epoch number
 * @param trainingLoss mean loss over the epoch's batches
 * @param validationLoss loss on the validation split after the epoch
 * @param validationAccuracy accuracy on the validation split after the epoch
 * @param seconds wall time of the epoch, validation included
 */
public record EpochResult(
        int epoch,
        double trainingLoss,
        double validationLoss,
        double validationAccuracy,
        double seconds) {}
