package org.tl4j.core.strategy;

/** Validation shared by the strategy configurations. */
final class Strategies {

    private Strategies() {}

    static void checkLearningRate(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be in (0, 1], got " + value);
        }
    }
}
