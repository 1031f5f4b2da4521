package org.tl4j.core.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrategyAdvisorTest {

    private final StrategyAdvisor advisor = new StrategyAdvisor();

    @ParameterizedTest(name = "{0}/class, probe {1}, {2}, {3} -> {4} {5}")
    @CsvSource({
        // labels, probe accuracy, budget, family, strategy, setting (layers or rank, 0 = none)
        "10, 0.95, MEDIUM, CNN, feature-extraction, 0",
        "10, 0.60, MEDIUM, CNN, fine-tuning, 4",
        "500, 0.95, MEDIUM, CNN, fine-tuning, 2",
        "500, 0.40, HIGH, CNN, fine-tuning, 4",
        "500, 0.40, LOW, CNN, feature-extraction, 0",
        "16, 0.97, MEDIUM, TRANSFORMER, feature-extraction, 0",
        "64, 0.80, MEDIUM, TRANSFORMER, lora, 8",
        "256, 0.80, MEDIUM, TRANSFORMER, lora, 8",
        "512, 0.60, MEDIUM, TRANSFORMER, lora, 16",
        "512, 0.55, HIGH, TRANSFORMER, fine-tuning, 6",
        "64, 0.55, HIGH, TRANSFORMER, lora, 16",
    })
    void recommend_table(
            int labels,
            double probe,
            ComputeBudget budget,
            ModelFamily family,
            String strategy,
            int setting) {
        int layers = family == ModelFamily.CNN ? 4 : 6;
        Recommendation r =
                advisor.recommend(new AdvisorInputs(labels, 2, probe, budget, family, layers));
        assertEquals(strategy, r.strategy(), r.explain());
        OptionalInt value = strategy.equals("lora") ? r.loraRank() : r.unfreezeLayers();
        assertEquals(setting == 0 ? OptionalInt.empty() : OptionalInt.of(setting), value);
        assertEquals(
                EnumSet.allOf(Criterion.class),
                r.reasons().stream()
                        .map(Recommendation.Reason::criterion)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Criterion.class))),
                "every recommendation speaks to every criterion: " + r.explain());
        assertTrue(r.explain().contains("task complexity: a linear probe"), r.explain());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "labelsPerClass, 0, 2, 0.5, got 0",
        "numClasses, 5, 1, 0.5, got 1",
        "linearProbeAccuracy, 5, 2, 1.5, got 1.5",
    })
    @Tag("bad-input")
    void inputs_outOfRange_nameTheField(
            String field, int labels, int classes, double probe, String seen) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new AdvisorInputs(
                                        labels,
                                        classes,
                                        probe,
                                        ComputeBudget.LOW,
                                        ModelFamily.CNN,
                                        3));
        assertTrue(
                e.getMessage().startsWith(field) && e.getMessage().endsWith(seen), e.getMessage());
    }
}
