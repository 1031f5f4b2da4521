package org.tl4j.core.advisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tl4j.core.compare.ComparisonRow;
import org.tl4j.core.compare.ComparisonTable;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.train.EpochResult;

/**
 * Checks the advisor against a measured comparison: at each label budget, is the recommended
 * strategy the best or within one accuracy point of the best?
 *
 * <p>The linear-probe accuracy the advisor needs is read from the comparison itself: the
 * feature-extraction run with a linear head is a linear probe, and its validation accuracy at the
 * kept epoch is the probe's accuracy.
 */
public final class AdvisorCheck {

    /** How far below the best accuracy a recommendation may be and still count as right. */
    public static final double TOLERANCE = 0.01;

    /** The verdict at one budget. */
    public record Verdict(
            int labelsPerClass,
            Recommendation recommendation,
            ComparisonRow best,
            Optional<ComparisonRow> recommended) {

        /** Whether the recommended strategy was measured within {@link #TOLERANCE} of the best. */
        public boolean holds() {
            return recommended.isPresent()
                    && recommended.get().accuracy() >= best.accuracy() - TOLERANCE;
        }

        /** One sentence for the report. */
        public String describe() {
            String verdict;
            if (recommended.isEmpty()) {
                verdict = "the recommended strategy was not measured";
            } else if (recommended.get().strategy().equals(best.strategy())) {
                verdict = "the advice holds: it is the best";
            } else {
                double gap = best.accuracy() - recommended.get().accuracy();
                verdict =
                        String.format(
                                Locale.ROOT,
                                "the advice %s: %.1f points below the best"
                                        + " (tolerance %.0f point)",
                                holds() ? "holds" : "misses",
                                100 * gap,
                                100 * TOLERANCE);
            }
            String rec =
                    recommended
                            .map(r -> String.format(Locale.ROOT, "%.4f", r.accuracy()))
                            .orElse("not measured");
            return String.format(
                    Locale.ROOT,
                    "At %d labels per class the advisor recommends %s"
                            + " (measured accuracy %s); the best measured is %s at %.4f; %s.",
                    labelsPerClass,
                    recommendation.strategy(),
                    rec,
                    best.strategy(),
                    best.accuracy(),
                    verdict);
        }
    }

    private AdvisorCheck() {}

    /**
     * One verdict per budget at which the table has a feature-extraction row.
     *
     * @param family model family of the comparison's base model
     * @param budget compute budget assumed
     * @param pretrainedLayers layers with parameters below the feature vertex
     * @param numClasses classes of the task
     */
    public static List<Verdict> check(
            ComparisonTable table,
            String task,
            ModelFamily family,
            ComputeBudget budget,
            int pretrainedLayers,
            int numClasses) {
        StrategyAdvisor advisor = new StrategyAdvisor();
        List<Verdict> verdicts = new ArrayList<>();
        for (ComparisonRow probe : table.rows()) {
            if (!probe.task().equals(task) || !probe.strategy().equals(FeatureExtraction.NAME)) {
                continue;
            }
            AdvisorInputs inputs =
                    new AdvisorInputs(
                            probe.labelsPerClass(),
                            numClasses,
                            probeAccuracy(probe),
                            budget,
                            family,
                            pretrainedLayers);
            Recommendation rec = advisor.recommend(inputs);
            ComparisonRow best = table.best(task, probe.labelsPerClass()).orElseThrow();
            Optional<ComparisonRow> measured =
                    table.rows().stream()
                            .filter(
                                    r ->
                                            r.task().equals(task)
                                                    && r.labelsPerClass() == probe.labelsPerClass()
                                                    && r.strategy().equals(rec.strategy()))
                            .findFirst();
            verdicts.add(new Verdict(probe.labelsPerClass(), rec, best, measured));
        }
        return verdicts;
    }

    /** Validation accuracy of a feature-extraction run at its kept epoch. */
    public static double probeAccuracy(ComparisonRow featureExtraction) {
        return featureExtraction.history().stream()
                .filter(e -> e.epoch() == featureExtraction.bestEpoch())
                .mapToDouble(EpochResult::validationAccuracy)
                .findFirst()
                .orElse(0);
    }
}
