package org.tl4j.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.tl4j.core.metrics.ClassificationMetrics;
import org.tl4j.core.metrics.MemoryMonitor;
import org.tl4j.core.metrics.MemoryUsage;
import org.tl4j.core.strategy.AdaptedModel;

/**
 * Trains an {@link AdaptedModel} the same way whatever strategy made it: minibatches in a seeded
 * order, validation after every epoch, early stopping on the validation loss, and the parameters of
 * the best epoch restored at the end.
 *
 * <p>When the model allows it ({@link AdaptedModel#featurizedHead()}), the frozen part runs once
 * per example through a {@link FeatureCache} and only the head trains, which gives the same result
 * as training the whole graph at a fraction of the cost.
 *
 * <p>The heads tl4j builds end in softmax with cross-entropy loss; the validation loss reported is
 * that cross-entropy, averaged over examples.
 */
public final class Trainer {

    private final TrainingConfig config;
    private final FeatureCache cache;
    private final List<TrainingListener> listeners;
    private final Optional<Path> checkpoints;

    /** A trainer with the given settings, an in-memory feature cache and no listeners. */
    public Trainer(TrainingConfig config) {
        this(config, FeatureCache.inMemory(), List.of(), Optional.empty());
    }

    private Trainer(
            TrainingConfig config,
            FeatureCache cache,
            List<TrainingListener> listeners,
            Optional<Path> checkpoints) {
        this.config = Objects.requireNonNull(config, "config");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.listeners = List.copyOf(listeners);
        this.checkpoints = checkpoints;
    }

    /** A trainer like this one that keeps features in {@code cache}. */
    public Trainer withFeatureCache(FeatureCache cache) {
        return new Trainer(config, cache, listeners, checkpoints);
    }

    /** A trainer like this one that also reports to {@code listener}. */
    public Trainer withListener(TrainingListener listener) {
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.add(Objects.requireNonNull(listener, "listener"));
        return new Trainer(config, cache, all, checkpoints);
    }

    /**
     * A trainer like this one that writes a checkpoint into {@code directory} after every epoch
     * (atomically, one file per run named after the strategy) and, when a checkpoint of the same
     * run is there at the start, resumes from it. A resumed run ends with the same parameters as an
     * uninterrupted one: each epoch's example order and dropout are seeded by the epoch.
     */
    public Trainer withCheckpoints(Path directory) {
        return new Trainer(config, cache, listeners, Optional.of(directory));
    }

    /** The settings. */
    public TrainingConfig config() {
        return config;
    }

    /**
     * Trains on single-input data sets; see {@link #fit(AdaptedModel, MultiDataSet, MultiDataSet)}.
     */
    public TrainingResult fit(AdaptedModel model, DataSet train, DataSet validation) {
        return fit(model, Batches.toMulti(train), Batches.toMulti(validation));
    }

    /**
     * Trains {@code model} in place and returns what it did and cost.
     *
     * @throws IllegalArgumentException if a split is empty, its labels do not have the head's
     *     number of classes, or its features hold NaN or infinite values
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public TrainingResult fit(AdaptedModel model, MultiDataSet train, MultiDataSet validation) {
        checkData(model, "training", train);
        checkData(model, "validation", validation);
        Nd4j.getRandom().setSeed(config.seed());
        try (MemoryMonitor memory = MemoryMonitor.start()) {
            long start = System.nanoTime();
            EpochLoop loop = run(model, train, validation);
            double seconds = (System.nanoTime() - start) / 1e9;
            TrainingResult result = loop.result(seconds, memory.peak(), model);
            listeners.forEach(l -> l.onEnd(result));
            return result;
        }
    }

    private EpochLoop run(AdaptedModel model, MultiDataSet train, MultiDataSet validation) {
        Optional<String> featureVertex = model.featurizedHead();
        if (featureVertex.isEmpty()) {
            EpochLoop loop = new EpochLoop(model.strategy(), model.graph());
            loop.run(train, validation);
            return loop;
        }
        String vertex = featureVertex.get();
        MultiDataSet trainFeatures = cache.featurize(model.graph(), vertex, train);
        MultiDataSet validationFeatures = cache.featurize(model.graph(), vertex, validation);
        HeadGraph head = HeadGraph.of(model, vertex);
        EpochLoop loop = new EpochLoop(model.strategy(), head.graph());
        try {
            loop.run(trainFeatures, validationFeatures);
        } finally {
            head.copyBack();
        }
        return loop;
    }

    private static void checkData(AdaptedModel model, String split, MultiDataSet data) {
        Objects.requireNonNull(data, split + " data");
        if (data.getLabels() == null || data.getLabels().length == 0 || Batches.size(data) == 0) {
            throw new IllegalArgumentException(split + " data is empty");
        }
        long classes = data.getLabels(0).size(1);
        if (classes != model.head().numClasses()) {
            throw new IllegalArgumentException(
                    split
                            + " labels have "
                            + classes
                            + " classes but the head was built for "
                            + model.head().numClasses()
                            + " (HeadConfig.numClasses)");
        }
        int inputs = model.graph().getNumInputArrays();
        if (data.getFeatures().length != inputs) {
            throw new IllegalArgumentException(
                    split
                            + " data has "
                            + data.getFeatures().length
                            + " feature arrays but the graph has "
                            + inputs
                            + " inputs");
        }
        Batches.requireFinite(split, data);
    }

    /**
     * Evaluates a trained graph on labelled data.
     *
     * @param batchSize examples per forward pass
     */
    public static ClassificationMetrics evaluate(
            ComputationGraph graph, MultiDataSet data, int batchSize) {
        return score(graph, data, batchSize).metrics();
    }

    /**
     * Evaluates a trained model. When its frozen part is featurized ({@link
     * AdaptedModel#featurizedHead()}), the data goes through this trainer's feature cache and the
     * head alone: the frozen part's features of a test set are computed once and serve every model
     * trained on the same base (every label budget of a comparison), with the numbers the whole
     * graph gives.
     *
     * @param batchSize examples per forward pass
     */
    public ClassificationMetrics evaluate(AdaptedModel model, MultiDataSet data, int batchSize) {
        Optional<String> featureVertex = model.featurizedHead();
        if (featureVertex.isEmpty()) {
            return evaluate(model.graph(), data, batchSize);
        }
        MultiDataSet features = cache.featurize(model.graph(), featureVertex.get(), data);
        return evaluate(HeadGraph.of(model, featureVertex.get()).graph(), features, batchSize);
    }

    /** Evaluates a trained graph on a single-input data set. */
    public static ClassificationMetrics evaluate(
            ComputationGraph graph, DataSet data, int batchSize) {
        return evaluate(graph, Batches.toMulti(data), batchSize);
    }

    /**
     * The mean cross-entropy of a trained graph's softmax output against one-hot labels, the
     * validation loss the trainer stops on.
     *
     * @param batchSize examples per forward pass
     */
    public static double crossEntropy(ComputationGraph graph, MultiDataSet data, int batchSize) {
        return score(graph, data, batchSize).loss();
    }

    record Score(double loss, ClassificationMetrics metrics) {}

    static Score score(ComputationGraph graph, MultiDataSet data, int batchSize) {
        double lossSum = 0;
        ClassificationMetrics metrics = null;
        for (MultiDataSet batch : Batches.ordered(data, batchSize)) {
            INDArray probabilities =
                    graph.output(
                                    false,
                                    batch.getFeatures(),
                                    batch.getFeaturesMaskArrays(),
                                    batch.getLabelsMaskArrays())[0];
            INDArray labels = batch.getLabels(0);
            INDArray logs = Transforms.log(probabilities.castTo(labels.dataType()).add(1e-12));
            lossSum -= logs.muli(labels).sumNumber().doubleValue();
            ClassificationMetrics m = ClassificationMetrics.of(labels, probabilities);
            metrics = metrics == null ? m : metrics.plus(m);
        }
        graph.clearLayerMaskArrays();
        return new Score(lossSum / Batches.size(data), metrics);
    }

    /** One training run's epochs, early stopping and best parameters. */
    private final class EpochLoop {
        private final String run;
        private final ComputationGraph graph;
        private final List<EpochResult> history = new ArrayList<>();
        private INDArray bestParams;
        private double bestLoss = Double.POSITIVE_INFINITY;
        private int bestEpoch;
        private boolean stoppedEarly;

        EpochLoop(String run, ComputationGraph graph) {
            this.run = run;
            this.graph = graph;
        }

        void run(MultiDataSet train, MultiDataSet validation) {
            int batches = (Batches.size(train) + config.batchSize() - 1) / config.batchSize();
            listeners.forEach(l -> l.onStart(run, config.maxEpochs(), batches));
            bestParams = graph.params().dup();
            boolean stopped = resume();
            for (int epoch = history.size() + 1; !stopped && epoch <= config.maxEpochs(); epoch++) {
                EpochResult result = epoch(epoch, train, validation);
                history.add(result);
                listeners.forEach(l -> l.onEpoch(result));
                stopped = !keepGoing(result);
                stoppedEarly = stopped && epoch < config.maxEpochs();
                saveCheckpoint(stopped);
            }
            graph.setParams(bestParams);
        }

        private EpochResult epoch(int epoch, MultiDataSet train, MultiDataSet validation) {
            long start = System.nanoTime();
            double lossSum = 0;
            // Seeding by epoch makes a resumed run repeat an uninterrupted one exactly.
            Nd4j.getRandom().setSeed(config.seed() + epoch);
            Random order = new Random(config.seed() * 1_000_003L + epoch);
            List<MultiDataSet> batches = Batches.shuffled(train, config.batchSize(), order);
            for (int b = 0; b < batches.size(); b++) {
                graph.fit(batches.get(b));
                double loss = graph.score();
                checkFinite(loss, epoch, b);
                lossSum += loss;
                int batch = b;
                listeners.forEach(l -> l.onBatch(epoch, batch, loss));
            }
            Score validationScore = score(graph, validation, Math.max(config.batchSize(), 64));
            checkFinite(validationScore.loss(), epoch, batches.size());
            return new EpochResult(
                    epoch,
                    lossSum / batches.size(),
                    validationScore.loss(),
                    validationScore.metrics().accuracy(),
                    (System.nanoTime() - start) / 1e9);
        }

        private boolean keepGoing(EpochResult result) {
            if (result.validationLoss() < bestLoss - config.minImprovement()) {
                bestLoss = result.validationLoss();
                bestEpoch = result.epoch();
                bestParams = graph.params().dup();
                return true;
            }
            return result.epoch() - bestEpoch < config.patience();
        }

        private Checkpoint.Identity identity() {
            return new Checkpoint.Identity(
                    run, config.seed(), config.batchSize(), graph.numParams());
        }

        /** Restores the last checkpoint, if any; returns whether that run had stopped. */
        private boolean resume() {
            if (checkpoints.isEmpty()) {
                return false;
            }
            Path file = Checkpoint.file(checkpoints.get(), run);
            try {
                Optional<Checkpoint.Loaded> loaded = Checkpoint.load(file, identity());
                if (loaded.isEmpty()) {
                    return false;
                }
                Checkpoint.State state = loaded.get().state();
                graph.setParams(loaded.get().params());
                INDArray updater = graph.getUpdater(true).getStateViewArray();
                if (updater != null) {
                    updater.assign(loaded.get().updater());
                }
                graph.getConfiguration().setIterationCount((int) state.iterations());
                graph.getConfiguration().setEpochCount(state.epoch());
                history.addAll(state.history());
                bestParams = loaded.get().best();
                bestEpoch = state.bestEpoch();
                bestLoss = state.bestLoss();
                return state.stopped();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot resume from checkpoint " + file + ": " + e.getMessage(), e);
            }
        }

        private void saveCheckpoint(boolean stopped) {
            if (checkpoints.isEmpty()) {
                return;
            }
            Checkpoint.State state =
                    new Checkpoint.State(
                            identity(),
                            history.size(),
                            bestEpoch,
                            bestLoss,
                            graph.getConfiguration().getIterationCount(),
                            stopped,
                            history);
            Path file = Checkpoint.file(checkpoints.get(), run);
            try {
                Checkpoint.save(file, state, graph, bestParams);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + file, e);
            }
        }

        private void checkFinite(double loss, int epoch, int batch) {
            if (Double.isFinite(loss)) {
                return;
            }
            graph.setParams(bestParams);
            String kept = bestEpoch == 0 ? "the starting parameters" : "epoch " + bestEpoch;
            throw new TrainingDivergedException(
                    run
                            + ": loss became "
                            + loss
                            + " in epoch "
                            + epoch
                            + " at batch "
                            + batch
                            + " (learning rate too high?); the model"
                            + " keeps the parameters of "
                            + kept,
                    epoch);
        }

        TrainingResult result(double seconds, MemoryUsage memory, AdaptedModel model) {
            return new TrainingResult(
                    history, bestEpoch, stoppedEarly, seconds, memory, model.parameterCounts());
        }
    }
}
