package org.tl4j.core.train;

/**
 * Training produced a NaN or infinite loss. The model holds the parameters of the last epoch whose
 * validation loss was the best so far (or its starting parameters if there was none).
 */
public final class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int epoch;

    TrainingDivergedException(String message, int epoch) {
        super(message);
        this.epoch = epoch;
    }

    /** The 1-based epoch in which the loss became NaN or infinite. */
    public int epoch() {
        return epoch;
    }
}
