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
 */
public final class Comparison {

    private static final Logger log = LoggerFactory.getLogger(Comparison.class);

    /** Hears when each run starts, e.g. to label a progress bar. */
    public interface Listener {
        /** Called before a strategy trains at a budget. */
        void onRun(String strategy, int labelsPerClass, int run, int runs);
    }

    private final PretrainedModel base;
    private final List<TransferStrategy> strategies;
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
        this.base = Objects.requireNonNull(base, "base");
        this.strategies = List.copyOf(strategies);
        this.head = Objects.requireNonNull(head, "head");
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        this.trainers = Map.of();
        if (this.strategies.isEmpty()) {
            throw new IllegalArgumentException("strategies must not be empty");
        }
    }

    private Comparison(Comparison c, Map<String, Trainer> trainers) {
        this.base = c.base;
        this.strategies = c.strategies;
        this.head = c.head;
        this.trainer = c.trainer;
        this.trainers = Map.copyOf(trainers);
    }

    /**
     * A comparison like this one in which the named strategy trains with its own trainer, e.g. more
     * epochs for feature extraction, whose epochs on cached features cost little. Every run still
     * uses the same data, head and seed.
     *
     * @throws IllegalArgumentException if no compared strategy has that name
     */
    public Comparison withTrainer(String strategy, Trainer strategyTrainer) {
        if (strategies.stream().noneMatch(s -> s.name().equals(strategy))) {
            throw new IllegalArgumentException(
                    "no compared strategy is named '"
                            + strategy
                            + "'; strategies are "
                            + strategies.stream().map(TransferStrategy::name).toList());
        }
        Map<String, Trainer> all = new java.util.HashMap<>(trainers);
        all.put(strategy, Objects.requireNonNull(strategyTrainer, "strategyTrainer"));
        return new Comparison(this, all);
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
                strategies.stream().map(TransferStrategy::name).toList(),
                task.name(),
                task.labelBudgets(),
                Nd4j.getBackend().getClass().getSimpleName());
        List<ComparisonRow> rows = new ArrayList<>();
        int runs = task.labelBudgets().size() * strategies.size();
        for (int budget : task.labelBudgets()) {
            TransferTask.Split split = task.split(budget);
            for (TransferStrategy strategy : strategies) {
                listener.onRun(strategy.name(), budget, rows.size() + 1, runs);
                rows.add(runOne(task, strategy, budget, split));
            }
        }
        return new ComparisonTable(rows);
    }

    private ComparisonRow runOne(
            TransferTask task, TransferStrategy strategy, int budget, TransferTask.Split split) {
        Trainer trainer = trainers.getOrDefault(strategy.name(), this.trainer);
        long seed = trainer.config().seed();
        AdaptedModel model = strategy.adapt(base, head, seed);
        log.info(
                "{} at {} labels/class: {} training examples, {}",
                strategy.name(),
                budget,
                split.train().getLabels(0).size(0),
                model.parameterCounts());
        TrainingResult result = trainer.fit(model, split.train(), split.validation());
        // Feature extraction evaluates on cached features: the frozen encoder's output for the
        // test set is computed once for all budgets.
        ClassificationMetrics test =
                trainer.evaluate(model, task.test(), trainer.config().batchSize() * 4);
        log.info("{} at {} labels/class: test {}", strategy.name(), budget, test);
        return new ComparisonRow(
                task.name(),
                strategy.name(),
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
