package org.tl4j.core.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.Unfreeze;

class SpacesTest {

    @Test
    void logUniformSpace_endsAndMiddle_mapOnALogScale() {
        LogUniformSpace space = new LogUniformSpace(1e-4, 1e-2);
        space.setIndices(0);

        assertEquals(1e-4, space.getValue(new double[] {0}), 1e-12);
        assertEquals(1e-3, space.getValue(new double[] {0.5}), 1e-12);
        assertEquals(1e-2, space.getValue(new double[] {1}), 1e-12);
    }

    @ParameterizedTest(name = "log-uniform search space with min={0}, max={1}")
    @CsvSource({"0, 1", "-1, 1", "1, 0.5"})
    @Tag("bad-input")
    void logUniformSpace_badBounds_namesBoth(double min, double max) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new LogUniformSpace(min, max));
        assertTrue(
                e.getMessage().contains("min=" + min) && e.getMessage().contains("max="),
                e.getMessage());
    }

    @Test
    void fineTuningSpace_numParameters_countsEverySearchedLeaf() {
        // learning rate, ratio, unfrozen layers, hidden sizes, dropout, batch size; epochs fixed.
        assertEquals(6, TinySearch.fineTuning().numParameters());
        assertEquals(
                0,
                FeatureExtractionSpace.builder(CommonSpace.builder(3).build())
                        .build()
                        .numParameters());
    }

    @Test
    void randomGenerator_fineTuningSpace_yieldsValidCandidatesInRange() {
        CandidateGenerator generator =
                SearchMethod.RANDOM.generator(
                        TinySearch.fineTuning(), TransferScore.ACCURACY, 1, 3, 3);
        for (int i = 0; i < 20; i++) {
            TransferCandidate c = ((CandidateSettings) generator.getCandidate().getValue()).build();
            FineTuning ft = (FineTuning) c.strategy();
            assertTrue(ft.learningRate() >= 1e-3 && ft.learningRate() <= 1e-1, c.describe());
            assertTrue(ft.unfreeze() instanceof Unfreeze.TopLayers top && top.count() <= 2);
            assertTrue(List.of(8, 16).contains(c.training().batchSize()));
            assertEquals(3, c.training().maxEpochs());
        }
    }

    @Test
    void transferCandidate_settings_roundTrip() {
        TransferCandidate fine =
                ((CandidateSettings)
                                SearchMethod.RANDOM
                                        .generator(
                                                TinySearch.fineTuning(),
                                                TransferScore.LOSS,
                                                5,
                                                3,
                                                3)
                                        .getCandidate()
                                        .getValue())
                        .build();
        TransferCandidate feature =
                ((CandidateSettings)
                                SearchMethod.RANDOM
                                        .generator(
                                                FeatureExtractionSpace.builder(
                                                                CommonSpace.builder(3).build())
                                                        .build(),
                                                TransferScore.LOSS,
                                                5,
                                                3,
                                                3)
                                        .getCandidate()
                                        .getValue())
                        .build();

        assertEquals(fine, TransferCandidate.fromSettings(fine.settings()));
        assertEquals(feature, TransferCandidate.fromSettings(feature.settings()));
        assertTrue(feature.strategy() instanceof FeatureExtraction);
    }

    @Test
    @Tag("bad-input")
    @DisplayName("search candidate with strategy from-scratch (not searchable)")
    void transferCandidate_unknownStrategy_namesIt() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TransferCandidate.fromSettings(Map.of("strategy", "from-scratch")));
        assertTrue(e.getMessage().contains("'from-scratch'"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("search with maxCandidates 0")
    void transferSearch_badLimits_nameTheSetting() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TransferSearch.builder(TinySearch.fineTuning())
                                        .maxCandidates(0)
                                        .build());
        assertEquals("maxCandidates must be at least 1, got 0", e.getMessage());
    }
}
