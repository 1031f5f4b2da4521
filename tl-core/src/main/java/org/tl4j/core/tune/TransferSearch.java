package org.tl4j.core.tune;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.core.model.PretrainedModel;

/**
 * A hyperparameter search over a {@link TransferSpace} with Arbiter: the chosen candidate
 * generator, a {@link TransferTaskCreator}, Arbiter's {@link MaxCandidatesCondition} and {@link
 * MaxTimeCondition}, and a {@link LocalOptimizationRunner} running one candidate at a time (so that
 * each has every core, and the results are reproducible).
 *
 * <p>With a fixed seed the same space yields the same candidates and, on the same machine and
 * thread count, the same scores: every candidate trains with the space's seed.
 *
 * <p>Limitations: a candidate that fails is not reported to genetic search (Arbiter reports only
 * completed ones).
 */
public final class TransferSearch {

    private static final Logger LOG = LoggerFactory.getLogger(TransferSearch.class);

    private final TransferSpace space;
    private final SearchMethod method;
    private final TransferScore score;
    private final int maxCandidates;
    private final Duration maxTime;
    private final Optional<Duration> candidateTimeLimit;
    private final Duration dataTimeLimit;
    private final int gridPoints;
    private final int populationSize;
    private final long seed;
    private final Optional<Path> modelDirectory;
    private final TuningListener listener;

    private TransferSearch(Builder b) {
        this.space = b.space;
        this.method = b.method;
        this.score = b.score;
        this.maxCandidates = b.maxCandidates;
        this.maxTime = b.maxTime;
        this.candidateTimeLimit = Optional.ofNullable(b.candidateTimeLimit);
        this.dataTimeLimit = b.dataTimeLimit;
        this.gridPoints = b.gridPoints;
        this.populationSize = b.populationSize;
        this.seed = b.seed;
        this.modelDirectory = Optional.ofNullable(b.modelDirectory);
        this.listener = b.listener;
    }

    /** Starts a search over {@code space}. */
    public static Builder builder(TransferSpace space) {
        return new Builder(space);
    }

    /** A new, seeded Arbiter candidate generator of this search's method over its space. */
    public CandidateGenerator candidateGenerator() {
        return method.generator(space, score, seed, gridPoints, populationSize);
    }

    /** Searches with in-memory training and validation data. */
    public TuningResults run(PretrainedModel base, MultiDataSet train, MultiDataSet validation) {
        return run(base, TuningData.of(train, validation));
    }

    /**
     * Runs the search until {@code maxCandidates} candidates have completed or failed, the time is
     * up, or the generator has no more candidates (grid search).
     *
     * @param base the pretrained model every candidate starts from; not modified
     * @param data training data ({@code trainData}) and validation data ({@code testData}): a
     *     MultiDataSet, DataSet or an iterator over them
     */
    public TuningResults run(PretrainedModel base, DataProvider data) {
        Instant deadline = Instant.now().plus(maxTime);
        TransferTaskCreator.Builder tasks =
                TransferTaskCreator.builder(base)
                        .candidateTimeLimit(candidateTimeLimit.orElse(maxTime))
                        .dataTimeLimit(dataTimeLimit)
                        .deadline(deadline)
                        .listener(listener);
        modelDirectory.ifPresent(dir -> tasks.resultSaver(new TransferResultSaver(dir)));
        TransferTaskCreator creator = tasks.build();
        CandidateGenerator generator = candidateGenerator();
        OptimizationConfiguration config =
                new OptimizationConfiguration.Builder()
                        .candidateGenerator(generator)
                        .dataProvider(data)
                        .scoreFunction(score)
                        .terminationConditions(
                                new MaxCandidatesCondition(maxCandidates),
                                new MaxTimeCondition(maxTime.toMillis(), TimeUnit.MILLISECONDS),
                                new Exhausted(creator, generator, maxCandidates))
                        .rngSeed(seed)
                        .build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(1, config, creator);
        runner.addListeners(new GenerationFailures(creator));
        LOG.info(
                "{} search over {}: at most {} candidates in {}, scored by validation {},"
                        + " seed {}",
                method.label(),
                space,
                maxCandidates,
                maxTime,
                score.label(),
                seed);
        listener.onSearchStart(maxCandidates);
        runner.execute();
        return new TuningResults(score, creator.results());
    }

    /**
     * Ends a search when every candidate so far has a result and the generator has no more, or when
     * the candidate count (including candidates Arbiter could not build, which its own condition
     * does not count) reaches the limit. Without it, an exhausted grid search would poll forever.
     */
    private record Exhausted(
            TransferTaskCreator creator, CandidateGenerator generator, int maxCandidates)
            implements TerminationCondition {

        @Override
        public void initialize(IOptimizationRunner runner) {}

        @Override
        public boolean terminate(IOptimizationRunner runner) {
            return creator.results().size() >= maxCandidates
                    || (!generator.hasMoreCandidates() && runner.numCandidatesQueued() == 0);
        }
    }

    /** Records candidates whose settings Arbiter could not build as failed. */
    private record GenerationFailures(TransferTaskCreator creator) implements StatusListener {

        @Override
        public void onCandidateStatusChange(
                CandidateInfo info, IOptimizationRunner runner, OptimizationResult result) {
            if (result == null && info.getCandidateStatus() == CandidateStatus.Failed) {
                String trace = String.valueOf(info.getExceptionStackTrace());
                creator.recordGenerationFailure(
                        info.getIndex(), trace.lines().findFirst().orElse("invalid settings"));
            }
        }

        @Override
        public void onInitialization(IOptimizationRunner runner) {}

        @Override
        public void onShutdown(IOptimizationRunner runner) {}

        @Override
        public void onRunnerStatusChange(IOptimizationRunner runner) {}

        @Override
        public void onCandidateIteration(CandidateInfo info, Object model, int iteration) {}
    }

    /** Builder for {@link TransferSearch}; {@link #build()} validates. */
    public static final class Builder {
        private final TransferSpace space;
        private SearchMethod method = SearchMethod.RANDOM;
        private TransferScore score = TransferScore.ACCURACY;
        private int maxCandidates = 10;
        private Duration maxTime = Duration.ofMinutes(10);
        private Duration candidateTimeLimit;
        private Duration dataTimeLimit = Duration.ofMinutes(2);
        private int gridPoints = 3;
        private int populationSize = 6;
        private long seed = 42;
        private Path modelDirectory;
        private TuningListener listener = new TuningListener() {};

        private Builder(TransferSpace space) {
            this.space = Objects.requireNonNull(space, "space");
        }

        /** How candidates are picked; default {@link SearchMethod#RANDOM}. */
        public Builder method(SearchMethod method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /** What is optimised on the validation data; default {@link TransferScore#ACCURACY}. */
        public Builder score(TransferScore score) {
            this.score = Objects.requireNonNull(score, "score");
            return this;
        }

        /** Candidates to run (completed or failed), at least 1; default 10. */
        public Builder maxCandidates(int maxCandidates) {
            this.maxCandidates = maxCandidates;
            return this;
        }

        /**
         * Wall time of the whole search, more than 0; default 10 minutes. No candidate starts after
         * it, and a running one stops (and is recorded as failed) when it is reached.
         */
        public Builder maxTime(Duration maxTime) {
            this.maxTime = maxTime;
            return this;
        }

        /** Longest one candidate may train, more than 0; default the search's max time. */
        public Builder candidateTimeLimit(Duration limit) {
            this.candidateTimeLimit = limit;
            return this;
        }

        /** Longest reading a candidate's data may take, more than 0; default 2 minutes. */
        public Builder dataTimeLimit(Duration limit) {
            this.dataTimeLimit = limit;
            return this;
        }

        /** Grid search: values per continuous setting, at least 2; default 3. */
        public Builder gridPoints(int gridPoints) {
            this.gridPoints = gridPoints;
            return this;
        }

        /**
         * Genetic search: population size, at least 3; default 6. (Arbiter breeds once two thirds
         * of the population, rounded, have results; with fewer than 3 that is a single parent, and
         * its parent selection then loops forever.)
         */
        public Builder populationSize(int populationSize) {
            this.populationSize = populationSize;
            return this;
        }

        /** Seeds the candidate generator; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Saves each completed candidate's model here ({@code candidate-NNN.zip}). */
        public Builder modelDirectory(Path directory) {
            this.modelDirectory = directory;
            return this;
        }

        /** Receives progress; default none. */
        public Builder listener(TuningListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the setting and the value if one is out of range
         */
        public TransferSearch build() {
            requireAtLeast("maxCandidates", maxCandidates, 1);
            requireAtLeast("gridPoints", gridPoints, 2);
            requireAtLeast("populationSize", populationSize, 3);
            TransferTaskCreator.requirePositive("maxTime", maxTime);
            TransferTaskCreator.requirePositive("dataTimeLimit", dataTimeLimit);
            if (candidateTimeLimit != null) {
                TransferTaskCreator.requirePositive("candidateTimeLimit", candidateTimeLimit);
            }
            return new TransferSearch(this);
        }

        private static void requireAtLeast(String field, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(
                        field + " must be at least " + min + ", got " + value);
            }
        }
    }
}
