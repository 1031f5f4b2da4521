package org.tl4j.core.advisor;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.tl4j.core.advisor.Recommendation.Reason;

/**
 * Recommends feature extraction, fine-tuning (with how many layers) or LoRA (with a rank) from the
 * size of the labelled data, a measured distance between source and target domains, the compute
 * budget and the model family, and says why.
 *
 * <p><b>Domain distance.</b> The advisor takes the accuracy of a <em>linear probe</em>: a linear
 * head trained on the frozen pretrained features and scored on held-out target data (Kornblith et
 * al., "Do Better ImageNet Models Transfer Better?", CVPR 2019, use the same measure). It is cheap
 * (the features are computed once, as for feature extraction), it is measured on the task itself
 * rather than estimated from data statistics, and it answers the question that matters: do the
 * pretrained features already separate the new classes? Normalised between chance and perfect
 * accuracy it gives {@link AdvisorInputs#transferability()}; distance is its complement. A
 * statistic of the feature distributions (e.g. a maximum mean discrepancy between source and target
 * features) would need the source data, which users of a pretrained model rarely have.
 *
 * <p><b>Rules.</b> With few labels per class and features that already transfer well, training only
 * the head wins: more trainable parameters overfit. Far domains and more labels favour training
 * pretrained layers too; how many depends on the distance. For transformers, LoRA trains a small
 * fraction of the parameters at most of full fine-tuning's accuracy, so full fine-tuning is only
 * advised with many labels, a far domain and a large budget. A low budget always means feature
 * extraction.
 *
 * <p><b>Limitations.</b> The thresholds were set on tl4j's default tasks and checked against their
 * measured comparison (see {@code tl compare}); on other tasks they are a starting point.
 */
public final class StrategyAdvisor {

    /** Fewer labelled examples per class than this count as scarce. */
    public static final int SCARCE_LABELS = 50;

    /** At least this many labelled examples per class count as plentiful. */
    public static final int PLENTIFUL_LABELS = 300;

    /** Transferability at or above this means the domains are close. */
    public static final double CLOSE = 0.85;

    /** Transferability below this means the domains are far apart. */
    public static final double FAR = 0.5;

    /** Recommends a strategy for {@code in}. */
    public Recommendation recommend(AdvisorInputs in) {
        List<Reason> reasons = new ArrayList<>();
        reasons.add(dataReason(in));
        reasons.add(distanceReason(in));
        if (in.budget() == ComputeBudget.LOW) {
            reasons.add(
                    new Reason(
                            Criterion.COMPUTATIONAL_EFFICIENCY,
                            "the budget is low:"
                                    + " only the head trains, on features computed once"));
            reasons.add(
                    new Reason(
                            Criterion.MODEL_ADAPTABILITY,
                            "the pretrained layers stay as they are; the new head adapts to the"
                                    + " task"));
            return featureExtraction(reasons);
        }
        boolean scarce = in.labelsPerClass() < SCARCE_LABELS;
        if (scarce && in.transferability() >= CLOSE) {
            reasons.add(
                    new Reason(
                            Criterion.MODEL_ADAPTABILITY,
                            "the frozen features already separate the classes, and more trainable"
                                    + " parameters would overfit so few labels"));
            return featureExtraction(reasons);
        }
        return in.family() == ModelFamily.TRANSFORMER
                ? forTransformer(in, reasons)
                : fineTuning(in, reasons);
    }

    private static Recommendation featureExtraction(List<Reason> reasons) {
        if (reasons.stream().noneMatch(r -> r.criterion() == Criterion.COMPUTATIONAL_EFFICIENCY)) {
            reasons.add(
                    new Reason(
                            Criterion.COMPUTATIONAL_EFFICIENCY,
                            "only the head trains: no gradients through the backbone and"
                                    + " optimiser state for the head alone"));
        }
        reasons.add(
                new Reason(
                        Criterion.TRAINING_TIME,
                        "one pass of the backbone per example,"
                                + " then seconds of head training"));
        return new Recommendation(
                "feature-extraction", OptionalInt.empty(), OptionalInt.empty(), reasons);
    }

    private static Recommendation fineTuning(AdvisorInputs in, List<Reason> reasons) {
        boolean close = in.transferability() >= CLOSE;
        int layers = close ? Math.max(1, in.pretrainedLayers() / 2) : in.pretrainedLayers();
        reasons.add(
                new Reason(
                        Criterion.MODEL_ADAPTABILITY,
                        close
                                ? "the lower layers' features transfer; training the top "
                                        + layers
                                        + " adapts the specific ones"
                                : "the features fit the new domain only partly, so every layer"
                                        + " adapts, at a lower learning rate than the head"));
        reasons.add(
                new Reason(
                        Criterion.COMPUTATIONAL_EFFICIENCY,
                        "a "
                                + in.budget().name().toLowerCase(java.util.Locale.ROOT)
                                + " budget covers gradients and optimiser state for the trained"
                                + " layers of a network this size"));
        reasons.add(
                new Reason(
                        Criterion.TRAINING_TIME,
                        "every epoch runs the backbone forward"
                                + " and backward; expect several times feature extraction's time"));
        return new Recommendation(
                "fine-tuning", OptionalInt.of(layers), OptionalInt.empty(), reasons);
    }

    private static Recommendation forTransformer(AdvisorInputs in, List<Reason> reasons) {
        boolean plentiful = in.labelsPerClass() >= PLENTIFUL_LABELS;
        boolean far = in.transferability() < FAR;
        if (plentiful && far && in.budget() == ComputeBudget.HIGH) {
            reasons.add(
                    new Reason(
                            Criterion.COMPUTATIONAL_EFFICIENCY,
                            "the budget allows training every weight, and plentiful labels from a"
                                    + " far domain use it"));
            reasons.add(
                    new Reason(
                            Criterion.MODEL_ADAPTABILITY,
                            "a far domain needs more change than low-rank adapters give"));
            reasons.add(
                    new Reason(
                            Criterion.TRAINING_TIME,
                            "every step updates every weight; the slowest of the three"));
            return new Recommendation(
                    "fine-tuning",
                    OptionalInt.of(in.pretrainedLayers()),
                    OptionalInt.empty(),
                    reasons);
        }
        int rank = plentiful || far ? 16 : 8;
        reasons.add(
                new Reason(
                        Criterion.COMPUTATIONAL_EFFICIENCY,
                        "low-rank adapters train about 1 % of the weights with a fraction of full"
                                + " fine-tuning's optimiser state"));
        reasons.add(
                new Reason(
                        Criterion.MODEL_ADAPTABILITY,
                        "rank "
                                + rank
                                + (rank > 8
                                        ? " gives the adapters room for a larger shift"
                                        : " (PEFT's default) is enough when labels are not"
                                                + " plentiful and the domains not far; more rank"
                                                + " would mostly add room to overfit")));
        reasons.add(
                new Reason(
                        Criterion.TRAINING_TIME,
                        "each step still runs the encoder forward and backward, at about 0.6 to"
                                + " 0.8 of a full fine-tuning step"));
        return new Recommendation("lora", OptionalInt.empty(), OptionalInt.of(rank), reasons);
    }

    private static Reason dataReason(AdvisorInputs in) {
        String size =
                in.labelsPerClass() < SCARCE_LABELS
                        ? "scarce"
                        : in.labelsPerClass() < PLENTIFUL_LABELS ? "moderate" : "plentiful";
        return new Reason(
                Criterion.DATA_AVAILABILITY,
                in.labelsPerClass()
                        + " labelled examples per class is "
                        + size
                        + " (scarce below "
                        + SCARCE_LABELS
                        + ", plentiful from "
                        + PLENTIFUL_LABELS
                        + ")");
    }

    private static Reason distanceReason(AdvisorInputs in) {
        double t = in.transferability();
        String verdict = t >= CLOSE ? "close" : t < FAR ? "far" : "related but not close";
        return new Reason(
                Criterion.TASK_COMPLEXITY,
                String.format(
                        java.util.Locale.ROOT,
                        "a linear probe on the frozen features reaches %.1f %% accuracy"
                                + " (transferability %.2f): the domains are %s",
                        100 * in.linearProbeAccuracy(),
                        t,
                        verdict));
    }
}
