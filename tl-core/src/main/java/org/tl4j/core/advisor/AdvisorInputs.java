package org.tl4j.core.advisor;

import java.util.Objects;

/**
 * What the {@link StrategyAdvisor} needs to know about a task.
 *
 * @param labelsPerClass labelled training examples per class; at least 1
 * @param numClasses classes of the task; at least 2
 * @param linearProbeAccuracy accuracy on held-out data of a linear head trained on the frozen
 *     pretrained features (see {@link StrategyAdvisor} for why this measures domain distance); in
 *     [0, 1]
 * @param budget how much compute the user can spend on training
 * @param family the kind of pretrained model
 * @param pretrainedLayers layers with parameters below the feature vertex; at least 1
 */
public record AdvisorInputs(
        int labelsPerClass,
        int numClasses,
        double linearProbeAccuracy,
        ComputeBudget budget,
        ModelFamily family,
        int pretrainedLayers) {

    /** Validates every field. */
    public AdvisorInputs {
        if (labelsPerClass < 1) {
            throw new IllegalArgumentException(
                    "labelsPerClass must be at least 1, got " + labelsPerClass);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
        }
        if (!(linearProbeAccuracy >= 0 && linearProbeAccuracy <= 1)) {
            throw new IllegalArgumentException(
                    "linearProbeAccuracy must be in [0, 1], got " + linearProbeAccuracy);
        }
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(family, "family");
        if (pretrainedLayers < 1) {
            throw new IllegalArgumentException(
                    "pretrainedLayers must be at least 1, got " + pretrainedLayers);
        }
    }

    /**
     * How much of the gap between chance and perfect accuracy the frozen features close: 1 means
     * the features already separate the classes linearly, 0 means they carry nothing linear.
     */
    public double transferability() {
        double chance = 1.0 / numClasses;
        return Math.max(0, (linearProbeAccuracy - chance) / (1 - chance));
    }
}
