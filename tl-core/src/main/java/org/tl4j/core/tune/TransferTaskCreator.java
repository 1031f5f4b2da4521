package org.tl4j.core.tune;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultReference;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultSaver;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingResult;

/**
 * Arbiter's {@link TaskCreator} for candidates that start from a pretrained model: each task clones
 * the pretrained graph (loaded once per search), applies the candidate's strategy, trains it with
 * early stopping, scores it on the validation data and, if a {@link ResultSaver} is set, saves it.
 *
 * <p>A task never throws and never waits forever: any exception (invalid settings, {@link
 * org.tl4j.core.train.TrainingDivergedException}, a failing data iterator, the time limit) makes an
 * Arbiter result with status {@code Failed} and a {@link CandidateResult} with the reason, and the
 * search goes on. Data is read synchronously within {@link Builder#dataTimeLimit}; training stops
 * at the candidate's time limit or the search's deadline, whichever comes first.
 *
 * <p>Every candidate's result, failed ones included, is kept in {@link #results()}.
 */
public final class TransferTaskCreator implements TaskCreator {

    private final PretrainedModel base;
    private final Optional<ResultSaver> saver;
    private final Duration candidateTimeLimit;
    private final Duration dataTimeLimit;
    private final Optional<Instant> deadline;
    private final TuningListener listener;
    private final Map<Integer, CandidateResult> results = new ConcurrentSkipListMap<>();

    private TransferTaskCreator(Builder b) {
        this.base = b.base;
        this.saver = Optional.ofNullable(b.saver);
        this.candidateTimeLimit = b.candidateTimeLimit;
        this.dataTimeLimit = b.dataTimeLimit;
        this.deadline = Optional.ofNullable(b.deadline);
        this.listener = b.listener;
    }

    /** Starts a task creator for candidates adapted from {@code base}. */
    public static Builder builder(PretrainedModel base) {
        return new Builder(base);
    }

    /** Every candidate's result so far, by index. */
    public List<CandidateResult> results() {
        return List.copyOf(results.values());
    }

    @Override
    public Callable<OptimizationResult> create(
            Candidate candidate,
            DataProvider dataProvider,
            ScoreFunction scoreFunction,
            List<StatusListener> statusListeners,
            IOptimizationRunner runner) {
        return () -> run(candidate, dataProvider, scoreFunction);
    }

    @Override
    public Callable<OptimizationResult> create(
            Candidate candidate,
            Class<? extends DataSource> dataSource,
            Properties dataSourceProperties,
            ScoreFunction scoreFunction,
            List<StatusListener> statusListeners,
            IOptimizationRunner runner) {
        return () ->
                run(
                        candidate,
                        DataSources.provider(DataSources.create(dataSource, dataSourceProperties)),
                        scoreFunction);
    }

    /** Records a candidate that Arbiter could not even build (its settings were invalid). */
    void recordGenerationFailure(int index, String reason) {
        record(CandidateResult.failed(index, Optional.empty(), reason, 0, OptionalLong.empty()));
    }

    private OptimizationResult run(
            Candidate<?> candidate, DataProvider data, ScoreFunction scoreFunction) {
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        int index = candidate.getIndex();
        Attempt attempt = new Attempt();
        try {
            attempt.settings = settings(candidate);
            attempt.candidate = attempt.settings.build();
            listener.onCandidateStart(index, attempt.candidate);
            CandidateResult done = train(candidate, data, scoreFunction, attempt, startNanos);
            OptimizationResult result = arbiterResult(candidate, done, startMillis, null);
            done = save(result, attempt, done);
            result.setModelSpecificResults(done);
            record(done);
            return result;
        } catch (Exception | OutOfMemoryError e) {
            CandidateResult failed =
                    CandidateResult.failed(
                            index,
                            Optional.ofNullable(attempt.settings),
                            reason(e),
                            seconds(startNanos),
                            attempt.trainable);
            record(failed);
            return arbiterResult(candidate, failed, startMillis, stackTrace(e));
        }
    }

    /** What a candidate got to before it finished or failed. */
    private static final class Attempt {
        CandidateSettings settings;
        TransferCandidate candidate;
        AdaptedModel model;
        OptionalLong trainable = OptionalLong.empty();
    }

    private CandidateResult train(
            Candidate<?> candidate,
            DataProvider data,
            ScoreFunction scoreFunction,
            Attempt attempt,
            long startNanos) {
        Map<String, Object> params = candidate.getDataParameters();

        // Data first, within its time limit, so that a broken source fails fast.
        MultiDataSet train =
                DataLoading.load(() -> data.trainData(params), "training", dataTimeLimit);
        MultiDataSet validation =
                DataLoading.load(() -> data.testData(params), "validation", dataTimeLimit);

        // A private copy of the pretrained graph: candidates never share parameters.
        TransferCandidate settings = attempt.candidate;
        attempt.model =
                settings.strategy()
                        .adapt(copyOfBase(), settings.head(), settings.training().seed());
        attempt.trainable = OptionalLong.of(attempt.model.parameterCounts().trainable());
        Trainer trainer =
                new Trainer(settings.training())
                        .withListener(new DeadlineGuard(candidateDeadline(startNanos)));
        TrainingResult trained = trainer.fit(attempt.model, train, validation);

        double score =
                scoreFunction instanceof TransferScore ts
                        ? ts.score(attempt.model.graph(), validation)
                        : scoreFunction.score(
                                attempt.model.graph(), TuningData.of(train, validation), params);
        if (Double.isNaN(score)) {
            throw new IllegalStateException("the score function returned NaN");
        }
        return CandidateResult.completed(
                candidate.getIndex(),
                attempt.settings,
                score,
                seconds(startNanos),
                attempt.trainable.getAsLong(),
                trained.epochs(),
                Optional.empty());
    }

    private CandidateResult save(OptimizationResult result, Attempt attempt, CandidateResult done)
            throws IOException {
        if (saver.isEmpty()) {
            return done;
        }
        ResultReference reference = saver.get().saveModel(result, attempt.model.graph());
        result.setResultReference(reference);
        return reference instanceof TransferResultSaver.Saved saved
                ? done.withModel(saved.file())
                : done;
    }

    /** The base with a cloned graph; every input type (a text encoder has three) is kept. */
    private PretrainedModel copyOfBase() {
        PretrainedModel.Builder copy =
                PretrainedModel.builder(base.graph().clone())
                        .name(base.name())
                        .featureVertex(base.featureVertex())
                        .featureType(base.featureType())
                        .headVertices(base.headVertices());
        if (!base.inputTypes().isEmpty()) {
            copy.inputTypes(base.inputTypes().toArray(InputType[]::new));
        }
        base.normalizer().ifPresent(copy::normalizer);
        return copy.build();
    }

    private long candidateDeadline(long startNanos) {
        long limit = startNanos + candidateTimeLimit.toNanos();
        if (deadline.isEmpty()) {
            return limit;
        }
        long untilSearchEnd = Duration.between(Instant.now(), deadline.get()).toNanos();
        return Math.min(limit, System.nanoTime() + Math.max(0, untilSearchEnd));
    }

    private static CandidateSettings settings(Candidate<?> candidate) {
        Object value = candidate.getValue();
        if (value instanceof CandidateSettings settings) {
            return settings;
        }
        throw new IllegalArgumentException(
                "TransferTaskCreator runs CandidateSettings (from a"
                        + " TransferSpace), got "
                        + (value == null ? "null" : value.getClass().getName()));
    }

    private void record(CandidateResult result) {
        results.put(result.index(), result);
        listener.onCandidateEnd(result);
    }

    private static OptimizationResult arbiterResult(
            Candidate<?> candidate, CandidateResult result, long startMillis, String stackTrace) {
        CandidateStatus status =
                result.completed() ? CandidateStatus.Complete : CandidateStatus.Failed;
        Double score = result.score().isPresent() ? result.score().getAsDouble() : null;
        CandidateInfo info =
                new CandidateInfo(
                        candidate.getIndex(),
                        status,
                        score,
                        startMillis,
                        startMillis,
                        System.currentTimeMillis(),
                        candidate.getFlatParameters(),
                        stackTrace);
        return new OptimizationResult(candidate, score, candidate.getIndex(), result, info, null);
    }

    /** The exception's type and first message line, e.g. for a table cell. */
    static String reason(Throwable e) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        String text = e.getClass().getSimpleName() + ": " + message;
        return text.length() > 300 ? text.substring(0, 297) + "..." : text;
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Builder for {@link TransferTaskCreator}. */
    public static final class Builder {
        private final PretrainedModel base;
        private ResultSaver saver;
        private Duration candidateTimeLimit = Duration.ofMinutes(30);
        private Duration dataTimeLimit = Duration.ofMinutes(2);
        private Instant deadline;
        private TuningListener listener = new TuningListener() {};

        private Builder(PretrainedModel base) {
            this.base = Objects.requireNonNull(base, "base");
        }

        /** Saves each completed candidate's model; default none. */
        public Builder resultSaver(ResultSaver saver) {
            this.saver = saver;
            return this;
        }

        /** Longest a candidate may train, more than 0; default 30 minutes. */
        public Builder candidateTimeLimit(Duration limit) {
            this.candidateTimeLimit = limit;
            return this;
        }

        /** Longest reading a candidate's training or validation data may take; default 2 min. */
        public Builder dataTimeLimit(Duration limit) {
            this.dataTimeLimit = limit;
            return this;
        }

        /** When the whole search ends: a running candidate stops then; default none. */
        public Builder deadline(Instant deadline) {
            this.deadline = deadline;
            return this;
        }

        /** Receives each candidate's start and result; default none. */
        public Builder listener(TuningListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException if a time limit is not positive
         */
        public TransferTaskCreator build() {
            requirePositive("candidateTimeLimit", candidateTimeLimit);
            requirePositive("dataTimeLimit", dataTimeLimit);
            return new TransferTaskCreator(this);
        }
    }

    static void requirePositive(String field, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be more than 0, got " + value);
        }
    }
}
