package org.tl4j.core.advisor;

/** The criteria a recommendation weighs. */
public enum Criterion {
    /** Parameters and optimiser state that training touches. */
    COMPUTATIONAL_EFFICIENCY,
    /** How many labelled examples there are per class. */
    DATA_AVAILABILITY,
    /** How far the new task is from what the features were trained for. */
    TASK_COMPLEXITY,
    /** How much of the pretrained model can usefully change. */
    MODEL_ADAPTABILITY,
    /** Wall time to train. */
    TRAINING_TIME
}
