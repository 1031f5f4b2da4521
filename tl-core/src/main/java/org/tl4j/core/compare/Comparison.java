package org.tl4j.core.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.core.metrics.ClassificationMetrics;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.TransferStrategy;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingResult;

/**
 * Trains every strategy at every label budget of a task on equal terms (same base model, head,
 * trainer settings, seed and data) and evaluates each on the task's held-out test set.
 *
 * <p>Usually every strategy starts from one base model; a {@link Contender} pairs a strategy with
 * another base (for example LoRA on a vision transformer beside strategies on a CNN), reported
 * under its own name. All contenders share the head, trainer settings, seed and data.
 */
public final class Comparison {

    private static final Logger log = LoggerFactory.getLogger(Comparison.class);

    /** Hears when each run starts, e.g. to label a progress bar. */
    public interface Listener {
        /** Called before a strategy trains at a budget. */
        void onRun(String strategy, int labelsPerClass, int run, int runs);
    }

    /**
     * A strategy applied to a base model, reported under {@code name}.
     *
     * @param name the row name in the table, unique within a comparison (for a strategy on the
     *     comparison's usual base, the strategy's name)
     * @param strategy the strategy
     * @param base the pretrained model it starts from
     */
    public record Contender(String name, TransferStrategy strategy, PretrainedModel base) {

        /** Checks that no field is null or blank. */
        public Contender {
            Objects.requireNonNull(strategy, "strategy");
            Objects.requireNonNull(base, "base");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(
                        "contender name must not be blank, got '" + name + "'");
            }
        }

        /** The strategy on {@code base}, named after the strategy. */
        public static Contender of(TransferStrategy strategy, PretrainedModel base) {
            return new Contender(strategy.name(), strategy, base);
        }
    }

    private final List<Contender> contenders;
    private final HeadConfig head;
    private final Trainer trainer;
    private final Map<String, Trainer> trainers;

    /**
     * @param base the pretrained model every strategy starts from
     * @param strategies the strategies to compare, in report order
     * @param head the new head (its class count must match the task's)
     * @param trainer the trainer used for every run
     */
    public Comparison(
            PretrainedModel base,
            List<TransferStrategy> strategies,
            HeadConfig head,
            Trainer trainer) {
        this(
                strategies.stream()
                        .map(s -> Contender.of(s, Objects.requireNonNull(base, "base")))
                        .toList(),
                head,
                trainer,
                Map.of());
    }

    private Comparison(
            List<Contender> contenders,
            HeadConfig head,
            Trainer trainer,
            Map<String, Trainer> trainers) {
        this.contenders = List.copyOf(contenders);
        this.head = Objects.requireNonNull(head, "head");
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        this.trainers = Map.copyOf(trainers);
        if (this.contenders.isEmpty()) {
            throw new IllegalArgumentException("strategies must not be empty");
        }
        List<String> names = names();
        if (new java.util.HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException(
                    "contender names must be unique, got " + names + "; name each base's row");
        }
    }

    /**
     * A comparison of contenders that may start from different base models.
     *
     * @param contenders strategies with their base models, in report order; names unique
     * @param head the new head (its class count must match the task's)
     * @param trainer the trainer used for every run
     */
    public static Comparison of(List<Contender> contenders, HeadConfig head, Trainer trainer) {
        return new Comparison(contenders, head, trainer, Map.of());
    }

    /**
     * A comparison like this one with one more contender: {@code strategy} on another base model,
     * reported as {@code name}.
     *
     * @throws IllegalArgumentException if a contender already has that name
     */
    public Comparison withContender(String name, TransferStrategy strategy, PretrainedModel base) {
        List<Contender> all = new ArrayList<>(contenders);
        all.add(new Contender(name, strategy, base));
        return new Comparison(all, head, trainer, trainers);
    }

    /** The contenders' names, in report order. */
    public List<String> names() {
        return contenders.stream().map(Contender::name).toList();
    }

    /**
     * A comparison like this one in which the named strategy trains with its own trainer, e.g. more
     * epochs for feature extraction, whose epochs on cached features cost little. Every run still
     * uses the same data, head and seed.
     *
     * @param strategy a contender's name (a strategy's name for the usual base)
     * @throws IllegalArgumentException if no contender has that name
     */
    public Comparison withTrainer(String strategy, Trainer strategyTrainer) {
        if (!names().contains(strategy)) {
            throw new IllegalArgumentException(
                    "no compared strategy is named '" + strategy + "'; strategies are " + names());
        }
        Map<String, Trainer> all = new java.util.HashMap<>(trainers);
        all.put(strategy, Objects.requireNonNull(strategyTrainer, "strategyTrainer"));
        return new Comparison(contenders, head, trainer, all);
    }

    /** Runs every strategy at every budget of {@code task}. */
    public ComparisonTable run(TransferTask task, Listener listener) {
        if (task.numClasses() != head.numClasses()) {
            throw new IllegalArgumentException(
                    "task "
                            + task.name()
                            + " has "
                            + task.numClasses()
                            + " classes but the head has "
                            + head.numClasses());
        }
        log.info(
                "Comparing {} on {} at {} labels per class; backend {}",
                names(),
                task.name(),
                task.labelBudgets(),
                Nd4j.getBackend().getClass().getSimpleName());
        List<ComparisonRow> rows = new ArrayList<>();
        int runs = task.labelBudgets().size() * contenders.size();
        for (int budget : task.labelBudgets()) {
            TransferTask.Split split = task.split(budget);
            for (Contender contender : contenders) {
                listener.onRun(contender.name(), budget, rows.size() + 1, runs);
                rows.add(runOne(task, contender, budget, split));
            }
        }
        return new ComparisonTable(rows);
    }

    private ComparisonRow runOne(
            TransferTask task, Contender contender, int budget, TransferTask.Split split) {
        Trainer trainer = trainers.getOrDefault(contender.name(), this.trainer);
        long seed = trainer.config().seed();
        AdaptedModel model = contender.strategy().adapt(contender.base(), head, seed);
        log.info(
                "{} on {} at {} labels/class: {} training examples, {}",
                contender.name(),
                contender.base().name(),
                budget,
                split.train().getLabels(0).size(0),
                model.parameterCounts());
        TrainingResult result = trainer.fit(model, split.train(), split.validation());
        // Feature extraction evaluates on cached features: the frozen encoder's output for the
        // test set is computed once for all budgets.
        ClassificationMetrics test =
                trainer.evaluate(model, task.test(), trainer.config().batchSize() * 4);
        log.info("{} at {} labels/class: test {}", contender.name(), budget, test);
        return new ComparisonRow(
                task.name(),
                contender.name(),
                budget,
                test.accuracy(),
                test.macroF1(),
                result.parameters().trainable(),
                result.parameters().frozen(),
                result.parameters().optimizerStateBytes(),
                result.trainingSeconds(),
                result.memory().peakHeapBytes(),
                result.memory().peakOffHeapBytes(),
                result.epochs(),
                result.bestEpoch(),
                result.history());
    }
}
