package org.tl4j.core.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.core.io.ModelFiles;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.testing.TinyNetworks;
import org.tl4j.core.train.Trainer;

@Timeout(180)
class TransferSearchTest {

    private static final PretrainedModel BASE = TinyNetworks.pretrained(1, false);

    private static TuningResults run(TransferSearch search) {
        return search.run(BASE, TinySearch.train(), TinySearch.validation());
    }

    @Test
    void run_randomSearchOfFourCandidates_completesAllAndBestIsAtLeastWorst(@TempDir Path dir)
            throws IOException {
        TuningResults results =
                run(
                        TransferSearch.builder(TinySearch.fineTuning())
                                .maxCandidates(4)
                                .modelDirectory(dir.resolve("models"))
                                .build());

        assertEquals(4, results.candidates().size(), results.toMarkdown());
        assertEquals(4, results.completed().size(), results.toMarkdown());
        double best = results.best().orElseThrow().score().getAsDouble();
        double worst = results.worst().orElseThrow().score().getAsDouble();
        assertTrue(best >= worst, best + " < " + worst);
        results.writeTo(dir);
        assertEquals(5, Files.readString(dir.resolve("tuning.csv")).lines().count());
        assertTrue(Files.readString(dir.resolve("tuning.md")).contains("| accuracy |"));
        CandidateResult top = results.best().orElseThrow();
        assertEquals(
                top.settings().orElseThrow().build(),
                TuningResults.readBest(dir.resolve("best.json")));
        ComputationGraph saved = ModelFiles.load(top.model().orElseThrow());
        assertEquals(
                best,
                TransferScore.ACCURACY.score(saved, TinySearch.validation()),
                1e-9,
                "the saved model scores what the search recorded");
    }

    @Test
    void run_tooManyUnfrozenLayers_recordsThoseCandidatesAsFailedAndGoesOn() {
        CommonSpace fixed = CommonSpace.builder(3).maxEpochs(new FixedValue<>(2)).build();
        FineTuningSpace space =
                FineTuningSpace.builder(fixed)
                        .learningRate(new FixedValue<>(1e-2))
                        .unfrozenLayers(new IntegerParameterSpace(1, 4))
                        .build();
        // An integer range is cut into at most gridPoints values: 4 covers 1, 2, 3, 4.
        TuningResults results =
                run(
                        TransferSearch.builder(space)
                                .method(SearchMethod.GRID)
                                .gridPoints(4)
                                .maxCandidates(100)
                                .build());

        assertEquals(4, results.candidates().size(), "grid search ends when exhausted");
        for (CandidateResult c : results.candidates()) {
            int unfrozen =
                    Integer.parseInt(
                            c.settings()
                                    .orElseThrow()
                                    .values()
                                    .get("unfreeze")
                                    .toString()
                                    .substring(4));
            assertEquals(unfrozen <= 2, c.completed(), c.toString());
            if (!c.completed()) {
                assertTrue(
                        c.failure().orElseThrow().contains("has only 2 pretrained layers"),
                        c.failure().orElseThrow());
            }
        }
    }

    @Test
    void run_ratioOutOfRange_recordsEveryCandidateAsFailedAndStopsAtTheLimit() {
        FineTuningSpace space =
                FineTuningSpace.builder(TinySearch.common())
                        .pretrainedLearningRateRatio(new ContinuousParameterSpace(1.5, 3))
                        .build();
        TuningResults results = run(TransferSearch.builder(space).maxCandidates(3).build());

        assertEquals(3, results.failed().size(), results.toMarkdown());
        assertTrue(results.best().isEmpty());
        for (CandidateResult c : results.failed()) {
            assertTrue(
                    c.failure().orElseThrow().contains("pretrainedLearningRateRatio"),
                    c.failure().orElseThrow());
        }
    }

    @Test
    void run_sameSeedTwice_sameCandidatesAndScores() {
        TransferSearch.Builder search =
                TransferSearch.builder(TinySearch.fineTuning()).maxCandidates(3).seed(7);
        TuningResults first = run(search.build());
        TuningResults second = run(search.build());
        TuningResults other = run(search.seed(8).build());

        assertEquals(settings(first), settings(second));
        assertEquals(scores(first), scores(second));
        assertNotEquals(settings(first), settings(other));
    }

    @Test
    void run_geneticSearchWithSameSeed_sameCandidates() {
        TransferSearch.Builder search =
                TransferSearch.builder(TinySearch.fineTuning())
                        .method(SearchMethod.GENETIC)
                        .populationSize(3)
                        .maxCandidates(5)
                        .seed(3);
        TuningResults first = run(search.build());
        TuningResults second = run(search.build());

        assertEquals(5, first.completed().size(), first.toMarkdown());
        assertEquals(settings(first), settings(second));
        assertEquals(scores(first), scores(second));
    }

    @Test
    void run_candidateLongerThanTheSearch_stopsAtTheDeadlineAsFailed() {
        CommonSpace slow =
                CommonSpace.builder(3)
                        .batchSize(new FixedValue<>(1))
                        .maxEpochs(new FixedValue<>(100_000))
                        .patience(100_000)
                        .build();
        TransferSearch search =
                TransferSearch.builder(FineTuningSpace.builder(slow).build())
                        .maxCandidates(5)
                        .maxTime(Duration.ofSeconds(3))
                        .build();
        long start = System.nanoTime();
        TuningResults results = run(search);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(1, results.candidates().size(), results.toMarkdown());
        assertTrue(results.failed().get(0).failure().orElseThrow().contains("time limit"));
        assertTrue(seconds < 30, "took " + seconds + " s");
    }

    @Test
    void fineTuningSpace_pointsOfTheSpace_matchTheirTrainedAndEvaluatedModels() {
        TuningResults results =
                run(
                        TransferSearch.builder(TinySearch.fineTuning())
                                .maxCandidates(1)
                                .score(TransferScore.MACRO_F1)
                                .build());
        CandidateResult only = results.candidates().get(0);
        TransferCandidate candidate = only.settings().orElseThrow().build();
        var model = candidate.strategy().adapt(BASE, candidate.head(), candidate.training().seed());
        new Trainer(candidate.training()).fit(model, TinySearch.train(), TinySearch.validation());

        assertEquals(
                only.score().getAsDouble(),
                Trainer.evaluate(model.graph(), TinySearch.validation(), 64).macroF1(),
                1e-9,
                "a candidate re-run outside the search gets the same score");
        assertFalse(BASE.graph().params().isEmpty());
    }

    private static List<Object> settings(TuningResults r) {
        return r.candidates().stream().map(c -> (Object) c.settings()).toList();
    }

    private static List<Object> scores(TuningResults r) {
        return r.candidates().stream().map(c -> (Object) c.score()).toList();
    }
}
