package org.tl4j.core.strategy;

import org.tl4j.core.model.PretrainedModel;

/**
 * One way of adapting a pretrained model to a new classification task.
 *
 * <p>Implementations are immutable configurations. {@link #adapt} never changes the pretrained
 * model; it returns a new graph with a new head, trained afterwards by {@link
 * org.tl4j.core.train.Trainer}. Because every strategy returns the same {@link AdaptedModel} and is
 * trained by the same trainer, strategies can be compared on equal terms.
 */
public interface TransferStrategy {

    /** A short, stable name used in reports, e.g. {@code "feature-extraction"}. */
    String name();

    /**
     * Builds the trainable graph for a new task.
     *
     * @param base the pretrained model; not modified
     * @param head the new head
     * @param seed seeds the initialisation of new parameters
     */
    AdaptedModel adapt(PretrainedModel base, HeadConfig head, long seed);
}
