package org.tl4j.examples.tune;

import org.tl4j.core.compare.TransferTask;
import org.tl4j.core.metrics.ClassificationMetrics;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingResult;
import org.tl4j.core.tune.TransferCandidate;

/**
 * What one configuration reaches when trained on a split of a task: how a search's best candidate
 * is compared with a default configuration.
 *
 * @param validation metrics on the validation data (what the search optimises)
 * @param test metrics on the held-out test data
 * @param epochs epochs trained
 * @param seconds training time
 */
public record Evaluation(
        ClassificationMetrics validation, ClassificationMetrics test, int epochs, double seconds) {

    /**
     * Trains {@code candidate} on the split, from its seed, and evaluates it on validation and test
     * data.
     *
     * @param base the pretrained model; strategies adapt a copy of it
     */
    public static Evaluation of(
            TransferCandidate candidate,
            PretrainedModel base,
            TransferTask.Split split,
            TransferTask task) {
        AdaptedModel model =
                candidate.strategy().adapt(base, candidate.head(), candidate.training().seed());
        TrainingResult result =
                new Trainer(candidate.training()).fit(model, split.train(), split.validation());
        return new Evaluation(
                Trainer.evaluate(model.graph(), split.validation(), 256),
                Trainer.evaluate(model.graph(), task.test(), 256),
                result.epochs(),
                result.trainingSeconds());
    }
}
