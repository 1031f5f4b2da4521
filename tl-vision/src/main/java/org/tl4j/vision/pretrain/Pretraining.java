package org.tl4j.vision.pretrain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.core.io.AtomicFiles;
import org.tl4j.vision.data.VisionDatasets;
import org.tl4j.vision.data.VisionDatasets.IdxSplit;

/**
 * Trains a network on the full Fashion-MNIST from a command line: seeded shuffles, the weights
 * (without updater state, to keep the file small) saved atomically after every epoch, so an
 * interrupted run keeps its last finished epoch, and the test accuracy on all 10,000 test images
 * after every epoch.
 *
 * <p>Command line: {@code --data DIR --out FILE [--epochs N] [--seed S] [--batch-size B] [--limit
 * L]}, where {@code DIR} holds {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz} and {@code
 * --limit} trains on the first {@code L} training images of a seeded shuffle (all 60,000 when 0,
 * the default). The seed defaults to 12345; each program chooses its default epochs and batch size.
 */
public final class Pretraining {

    private static final Logger log = LoggerFactory.getLogger(Pretraining.class);

    private static final List<String> OPTIONS =
            List.of("--data", "--out", "--epochs", "--seed", "--batch-size", "--limit");

    /**
     * The settings of one training run, parsed from the command line.
     *
     * @param limit training images used, at most the split's size; 0 for all
     */
    public record Settings(Path data, Path out, int epochs, long seed, int batchSize, int limit) {}

    /** The outcome of {@link #train}. */
    public record Result(ComputationGraph graph, double testAccuracy, double trainSeconds) {}

    private Pretraining() {}

    /**
     * Trains {@code graph} as {@code s} says, then prints the test accuracy and training time.
     *
     * @return the trained graph, its test accuracy and the training time
     */
    public static Result run(ComputationGraph graph, Settings s) throws IOException {
        Result result = train(graph, s);
        System.out.printf(
                Locale.ROOT,
                "test accuracy %.4f, training %.1f s (%d epochs, seed %d), saved %s%n",
                result.testAccuracy(),
                result.trainSeconds(),
                s.epochs(),
                s.seed(),
                s.out());
        return result;
    }

    /** Trains {@code graph}, saving it and measuring its test accuracy after every epoch. */
    public static Result train(ComputationGraph graph, Settings s) throws IOException {
        DataSet train = VisionDatasets.fashionMnist(s.data(), IdxSplit.TRAIN);
        DataSet test = VisionDatasets.fashionMnist(s.data(), IdxSplit.TEST);
        if (s.limit() > 0 && s.limit() < train.numExamples()) {
            train.shuffle(s.seed());
            train = (DataSet) train.getRange(0, s.limit());
        }
        log.info(
                "training on {} images, {} parameters, seed {}",
                train.numExamples(),
                graph.numParams(),
                s.seed());
        int batches = (train.numExamples() + s.batchSize() - 1) / s.batchSize();
        graph.setListeners(new Progress(batches));
        double seconds = 0;
        double accuracy = 0;
        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            long start = System.nanoTime();
            train.shuffle(s.seed() + epoch);
            graph.fit(new ExistingDataSetIterator(train.batchBy(s.batchSize())));
            seconds += (System.nanoTime() - start) / 1e9;
            save(graph, s.out());
            accuracy = accuracy(graph, test);
            log.info(
                    "epoch {}/{}: training time so far {} s, test accuracy {}",
                    epoch,
                    s.epochs(),
                    Math.round(seconds),
                    accuracy);
        }
        return new Result(graph, accuracy, seconds);
    }

    /** Writes the weights without updater state, atomically. */
    public static void save(ComputationGraph graph, Path out) throws IOException {
        AtomicFiles.writePath(out, tmp -> ModelSerializer.writeModel(graph, tmp.toFile(), false));
    }

    private static double accuracy(ComputationGraph graph, DataSet test) {
        Evaluation eval = graph.evaluate(new ExistingDataSetIterator(test.batchBy(500)));
        return eval.accuracy();
    }

    /**
     * Parses the command line (see the class comment).
     *
     * @param defaultEpochs epochs when {@code --epochs} is absent
     * @param defaultBatchSize batch size when {@code --batch-size} is absent
     * @throws IllegalArgumentException on an unknown option (the message lists the known ones), a
     *     missing value or required option, or a value out of range
     */
    public static Settings parse(String[] args, int defaultEpochs, int defaultBatchSize) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i])) {
                throw new IllegalArgumentException(
                        "unknown option '" + args[i] + "'; known options: " + OPTIONS);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            opts.put(args[i], args[i + 1]);
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of("--data", "--out")) {
            if (!opts.containsKey(required)) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "missing required options "
                            + missing
                            + "; usage: --data DIR --out FILE [--epochs N] [--seed S]"
                            + " [--batch-size B] [--limit L]");
        }
        return new Settings(
                Path.of(opts.get("--data")),
                Path.of(opts.get("--out")),
                atLeast("--epochs", opts.getOrDefault("--epochs", "" + defaultEpochs), 1),
                Long.parseLong(opts.getOrDefault("--seed", "12345")),
                atLeast(
                        "--batch-size",
                        opts.getOrDefault("--batch-size", "" + defaultBatchSize),
                        1),
                atLeast("--limit", opts.getOrDefault("--limit", "0"), 0));
    }

    private static int atLeast(String option, String value, int min) {
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    option + " must be a whole number; got '" + value + "'", e);
        }
        if (v < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + "; got " + v);
        }
        return v;
    }

    /** Logs the batch count and elapsed time every {@value #EVERY} batches of an epoch. */
    private static final class Progress extends BaseTrainingListener {
        private static final int EVERY = 50;
        private final int batchesPerEpoch;
        private final long start = System.nanoTime();

        Progress(int batchesPerEpoch) {
            this.batchesPerEpoch = batchesPerEpoch;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if ((iteration + 1) % EVERY == 0) {
                log.info(
                        "batch {} of {} per epoch, {} s",
                        (iteration % batchesPerEpoch) + 1,
                        batchesPerEpoch,
                        Math.round((System.nanoTime() - start) / 1e9));
            }
        }
    }
}
