package org.tl4j.core.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.core.lora.LoraBias;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.LoraStrategy;
import org.tl4j.core.train.TrainingConfig;

/** LoRA searches on a tiny two-block text encoder. */
@Timeout(300)
class LoraSearchTest {

    private static final PretrainedModel BASE = TinyText.pretrained(1);

    private static TuningResults run(TransferSearch search) {
        return search.run(BASE, TinyText.TRAIN, TinyText.VALIDATION);
    }

    /**
     * Parameters a LoRA candidate trains: r * (8 + 8) per adapted 8x8 projection (2 per block for
     * query+value, 4 for every attention projection, 2 blocks), and the linear head 8 * 2 + 2.
     */
    private static long expectedTrainable(TransferCandidate c) {
        LoraConfig lora = ((LoraStrategy) c.strategy()).lora();
        int perBlock = lora.targets().equals(TinyText.QUERY_VALUE) ? 2 : 4;
        return 2L * perBlock * lora.rank() * (TinyText.HIDDEN + TinyText.HIDDEN)
                + TinyText.HIDDEN * 2
                + 2;
    }

    private static TransferCandidate candidate(CandidateGenerator generator) {
        return ((CandidateSettings) generator.getCandidate().getValue()).build();
    }

    @Test
    void loraSpace_numParameters_countsEverySearchedLeaf() {
        // learning rate, rank, targets; alpha, dropout and the common space fixed.
        assertEquals(3, TinyText.lora(1).numParameters());
        assertEquals(
                0,
                LoraSpace.builder(TinyText.common(1), TinyText.QUERY_VALUE)
                        .build()
                        .numParameters());
    }

    @Test
    void randomGenerator_loraSpace_yieldsCandidatesInRangeWithTheCommonSeed() {
        CandidateGenerator generator =
                SearchMethod.RANDOM.generator(TinyText.lora(5), TransferScore.ACCURACY, 1, 3, 3);
        Set<Integer> ranks = new java.util.TreeSet<>();
        Set<List<String>> targets = new java.util.HashSet<>();
        for (int i = 0; i < 30; i++) {
            TransferCandidate c = candidate(generator);
            LoraStrategy lora = (LoraStrategy) c.strategy();
            assertTrue(lora.learningRate() >= 3e-3 && lora.learningRate() <= 1e-1, c.describe());
            assertEquals(16.0, lora.lora().alpha());
            assertEquals(0.0, lora.lora().dropout());
            assertEquals(5, lora.lora().seed(), "adapters are initialised with the common seed");
            assertEquals(5, c.training().seed());
            ranks.add(lora.lora().rank());
            targets.add(lora.lora().targets());
        }
        assertEquals(Set.of(1, 2, 4), ranks);
        assertEquals(Set.of(TinyText.QUERY_VALUE, TinyText.ATTENTION), targets);
    }

    @Test
    void transferCandidate_loraSettings_roundTrip() {
        TransferCandidate drawn =
                candidate(
                        SearchMethod.RANDOM.generator(
                                TinyText.lora(3), TransferScore.ACCURACY, 9, 3, 3));
        LoraConfig extras =
                LoraConfig.builder()
                        .rank(4)
                        .alpha(8)
                        .targets(".*query")
                        .exclusions("encoder\\.0\\..*")
                        .bias(LoraBias.LORA_ONLY)
                        .rankOverride(".*1.*", 2)
                        .build();
        TransferCandidate whole =
                new TransferCandidate(
                        new LoraStrategy(extras, 2e-3),
                        HeadConfig.of(2),
                        TrainingConfig.defaults());

        assertEquals(drawn, TransferCandidate.fromSettings(drawn.settings()));
        assertTrue(!drawn.settings().containsKey("loraConfig"), drawn.settings().toString());
        assertEquals(whole, TransferCandidate.fromSettings(whole.settings()));
        assertTrue(whole.settings().containsKey("loraConfig"), "extras are written whole");
    }

    @Test
    void transferCandidate_loraSettingsWithoutRank_namesIt() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TransferCandidate.fromSettings(
                                        Map.of("strategy", "lora", "learningRate", 1e-3)));
        assertTrue(e.getMessage().contains("'rank' is missing"), e.getMessage());
    }

    @Test
    void run_randomSearch_trainsAdaptersAndHeadOnlyAndTheBestReRunsFromItsJson(@TempDir Path dir)
            throws IOException {
        TuningResults results =
                run(TransferSearch.builder(TinyText.lora(2)).maxCandidates(4).seed(2).build());

        assertEquals(4, results.completed().size(), results.toMarkdown());
        for (CandidateResult c : results.completed()) {
            TransferCandidate candidate = c.settings().orElseThrow().build();
            assertEquals(
                    expectedTrainable(candidate),
                    c.trainableParameters().getAsLong(),
                    candidate.describe());
        }
        results.writeTo(dir);
        CandidateResult best = results.best().orElseThrow();
        assertTrue(best.score().getAsDouble() > 0.75, "above chance: " + results.toMarkdown());
        assertEquals(
                best.settings().orElseThrow().build(),
                TuningResults.readBest(dir.resolve("best.json")));
        String table = results.toMarkdown();
        assertTrue(table.contains("| lora | lr="), table);
        assertTrue(table.contains("(query\\|value)"), "a pattern's pipe is escaped: " + table);
        for (String line : table.split("\n")) {
            long columns = line.replace("\\|", "").chars().filter(ch -> ch == '|').count();
            assertEquals(9, columns, "8 cells: " + line);
        }
        assertTrue(BASE.graph().getLayer("encoder.0.attention.query").numParams() == 72);
    }

    @Test
    void run_sameSeedTwice_sameLoraCandidatesAndScores() {
        TransferSearch.Builder search =
                TransferSearch.builder(TinyText.lora(7)).maxCandidates(3).seed(7);
        TuningResults first = run(search.build());
        TuningResults second = run(search.build());
        TuningResults other = run(search.seed(8).build());

        assertEquals(3, first.completed().size(), first.toMarkdown());
        assertEquals(settings(first), settings(second));
        assertEquals(scores(first), scores(second));
        assertNotEquals(settings(first), settings(other));
    }

    @Test
    void run_gridSearchOverRankAndTargets_coversEveryCombinationThenEnds() {
        LoraSpace space =
                LoraSpace.builder(TinyText.common(1), TinyText.QUERY_VALUE)
                        .rank(new DiscreteParameterSpace<>(1, 2))
                        .targets(
                                new DiscreteParameterSpace<>(
                                        TinyText.QUERY_VALUE, TinyText.ATTENTION))
                        .learningRate(new FixedValue<>(1e-2))
                        .build();
        TuningResults results =
                run(
                        TransferSearch.builder(space)
                                .method(SearchMethod.GRID)
                                .maxCandidates(100)
                                .build());

        assertEquals(4, results.completed().size(), results.toMarkdown());
        Set<String> combinations =
                results.candidates().stream()
                        .map(c -> c.settings().orElseThrow().values())
                        .map(v -> v.get("rank") + " " + v.get("targets"))
                        .collect(Collectors.toSet());
        assertEquals(4, combinations.size(), combinations.toString());
    }

    @Test
    void run_geneticSearchWithSameSeed_sameLoraCandidates() {
        TransferSearch.Builder search =
                TransferSearch.builder(TinyText.lora(3))
                        .method(SearchMethod.GENETIC)
                        .populationSize(3)
                        .maxCandidates(4)
                        .seed(3);
        TuningResults first = run(search.build());
        TuningResults second = run(search.build());

        assertEquals(4, first.completed().size(), first.toMarkdown());
        assertEquals(settings(first), settings(second));
        assertEquals(scores(first), scores(second));
    }

    @Test
    void run_targetsMatchingNoLayerOrRankTooHigh_failWithLorasReasonAndTheSearchGoesOn() {
        List<String> missing = List.of("encoder\\.\\d+\\.attention\\.nothing");
        LoraSpace space =
                LoraSpace.builder(TinyText.common(1), TinyText.QUERY_VALUE)
                        .rank(new DiscreteParameterSpace<>(2, 16))
                        .targets(new DiscreteParameterSpace<>(TinyText.QUERY_VALUE, missing))
                        .learningRate(new FixedValue<>(1e-2))
                        .build();
        TuningResults results =
                run(
                        TransferSearch.builder(space)
                                .method(SearchMethod.GRID)
                                .maxCandidates(100)
                                .build());

        assertEquals(4, results.candidates().size(), results.toMarkdown());
        assertEquals(1, results.completed().size(), results.toMarkdown());
        for (CandidateResult c : results.failed()) {
            Map<String, Object> v = c.settings().orElseThrow().values();
            String failure = c.failure().orElseThrow();
            if (v.get("targets").equals(missing)) {
                assertTrue(failure.contains("matches no layer"), failure);
            } else {
                assertEquals(16, v.get("rank"));
                assertTrue(failure.contains("16"), failure);
            }
        }
    }

    @Test
    void run_alphaBeyondFloatRange_lossIsNaNAndTheCandidateFailsAsDiverged() {
        // 1e300 is a valid double but infinite in float: scale * (x A B) is inf * 0, NaN.
        LoraSpace space =
                LoraSpace.builder(TinyText.common(1), TinyText.QUERY_VALUE)
                        .alpha(new DiscreteParameterSpace<>(16.0, 1e300))
                        .rank(new FixedValue<>(1))
                        .learningRate(new FixedValue<>(1e-2))
                        .build();
        TuningResults results =
                run(
                        TransferSearch.builder(space)
                                .method(SearchMethod.GRID)
                                .maxCandidates(100)
                                .build());

        assertEquals(2, results.candidates().size(), results.toMarkdown());
        CandidateResult normal = withAlpha(results, 16.0);
        CandidateResult huge = withAlpha(results, 1e300);
        assertTrue(normal.completed(), results.toMarkdown());
        String failure = huge.failure().orElseThrow();
        assertTrue(
                failure.startsWith("TrainingDivergedException") && failure.contains("loss became"),
                failure);
        assertEquals(
                expectedTrainable(huge.settings().orElseThrow().build()),
                huge.trainableParameters().getAsLong(),
                "the count is kept for a failed candidate");
    }

    private static CandidateResult withAlpha(TuningResults r, double alpha) {
        return r.candidates().stream()
                .filter(c -> c.settings().orElseThrow().values().get("alpha").equals(alpha))
                .findFirst()
                .orElseThrow();
    }

    private static List<Object> settings(TuningResults r) {
        return r.candidates().stream().map(c -> (Object) c.settings()).toList();
    }

    private static List<Object> scores(TuningResults r) {
        return r.candidates().stream().map(c -> (Object) c.score()).toList();
    }
}
