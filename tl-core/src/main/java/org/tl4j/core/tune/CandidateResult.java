package org.tl4j.core.tune;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What happened to one candidate of a search.
 *
 * @param index the candidate's number, from 0, in the order Arbiter generated it
 * @param settings its settings; empty only when Arbiter's generator failed to produce them
 * @param status whether it trained and was scored
 * @param failure why it failed; empty when it completed
 * @param score its validation score; empty when it failed
 * @param seconds wall time from its start to its score (or failure)
 * @param trainableParameters parameters its training updated; empty if it failed before adaptation
 * @param epochs epochs it trained; 0 if it failed
 * @param model where its trained model was saved, if a result saver was set
 */
public record CandidateResult(
        int index,
        Optional<CandidateSettings> settings,
        Status status,
        Optional<String> failure,
        OptionalDouble score,
        double seconds,
        OptionalLong trainableParameters,
        int epochs,
        Optional<Path> model) {

    /** Whether a candidate completed. */
    public enum Status {
        /** Trained and scored. */
        COMPLETED,
        /** Stopped by an exception (invalid settings, divergence, data error, time limit). */
        FAILED
    }

    /** Checks that the fields agree with the status. */
    public CandidateResult {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(trainableParameters, "trainableParameters");
        Objects.requireNonNull(model, "model");
        if ((status == Status.COMPLETED) != score.isPresent()
                || (status == Status.FAILED) != failure.isPresent()) {
            throw new IllegalArgumentException(
                    "a COMPLETED result has a score and no failure, a"
                            + " FAILED one a failure and no score; got status "
                            + status
                            + ", score "
                            + score
                            + ", failure "
                            + failure);
        }
    }

    /** A candidate that trained and was scored. */
    static CandidateResult completed(
            int index,
            CandidateSettings settings,
            double score,
            double seconds,
            long trainable,
            int epochs,
            Optional<Path> model) {
        return new CandidateResult(
                index,
                Optional.of(settings),
                Status.COMPLETED,
                Optional.empty(),
                OptionalDouble.of(score),
                seconds,
                OptionalLong.of(trainable),
                epochs,
                model);
    }

    /** A candidate that failed, with the reason. */
    static CandidateResult failed(
            int index,
            Optional<CandidateSettings> settings,
            String reason,
            double seconds,
            OptionalLong trainable) {
        return new CandidateResult(
                index,
                settings,
                Status.FAILED,
                Optional.of(reason),
                OptionalDouble.empty(),
                seconds,
                trainable,
                0,
                Optional.empty());
    }

    /** Whether it completed. */
    public boolean completed() {
        return status == Status.COMPLETED;
    }

    /** The same result with the model saved at {@code file}. */
    CandidateResult withModel(Path file) {
        return new CandidateResult(
                index,
                settings,
                status,
                failure,
                score,
                seconds,
                trainableParameters,
                epochs,
                Optional.of(file));
    }
}
