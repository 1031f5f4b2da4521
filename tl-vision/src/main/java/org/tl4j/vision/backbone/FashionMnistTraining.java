package org.tl4j.vision.backbone;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.core.io.AtomicFiles;
import org.tl4j.vision.data.VisionDatasets;
import org.tl4j.vision.data.VisionDatasets.IdxSplit;

/**
 * Trains {@link FashionMnistBackbone#architecture(long)} on the full Fashion-MNIST and writes the
 * weights (without updater state, to keep the file small) atomically to a model zip after every
 * epoch.
 *
 * <p>Command line: {@code --data DIR --out FILE [--epochs N] [--seed S] [--batch-size B]}, where
 * {@code DIR} holds {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz}. Defaults: 3 epochs,
 * seed 12345, batch size 64. Prints the test accuracy and the training time.
 */
public final class FashionMnistTraining {

    private static final Logger log = LoggerFactory.getLogger(FashionMnistTraining.class);

    /** The settings of one training run, parsed from the command line. */
    public record Settings(Path data, Path out, int epochs, long seed, int batchSize) {}

    /** The outcome of {@link #train(Settings)}. */
    public record Result(ComputationGraph graph, double testAccuracy, double trainSeconds) {}

    private FashionMnistTraining() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        Settings settings = parse(args);
        Result result = train(settings);
        System.out.printf(
                "test accuracy %.4f, training %.1f s (%d epochs, seed %d), saved %s%n",
                result.testAccuracy(),
                result.trainSeconds(),
                settings.epochs(),
                settings.seed(),
                settings.out());
    }

    /**
     * Trains, saving the weights to {@code out} after every epoch (so an interrupted run keeps its
     * last finished epoch), and evaluates on the test split after every epoch.
     */
    public static Result train(Settings s) throws IOException {
        DataSet train = VisionDatasets.fashionMnist(s.data(), IdxSplit.TRAIN);
        DataSet test = VisionDatasets.fashionMnist(s.data(), IdxSplit.TEST);
        ComputationGraph graph = FashionMnistBackbone.architecture(s.seed());
        log.info(
                "training on {} images, {} parameters, seed {}",
                train.numExamples(),
                graph.numParams(),
                s.seed());
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
     * Parses {@code --data DIR --out FILE [--epochs N] [--seed S] [--batch-size B]}.
     *
     * @throws IllegalArgumentException on an unknown option (the message lists the known ones), a
     *     missing value or required option, or a value out of range
     */
    public static Settings parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> known = List.of("--data", "--out", "--epochs", "--seed", "--batch-size");
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i])) {
                throw new IllegalArgumentException(
                        "unknown option '" + args[i] + "'; known options: " + known);
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
                            + "; usage: --data DIR --out FILE [--epochs N] [--seed S] [--batch-size"
                            + " B]");
        }
        int epochs = positive("--epochs", opts.getOrDefault("--epochs", "3"));
        int batch = positive("--batch-size", opts.getOrDefault("--batch-size", "64"));
        long seed = Long.parseLong(opts.getOrDefault("--seed", "12345"));
        return new Settings(
                Path.of(opts.get("--data")), Path.of(opts.get("--out")), epochs, seed, batch);
    }

    private static int positive(String option, String value) {
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    option + " must be a whole number; got '" + value + "'", e);
        }
        if (v < 1) {
            throw new IllegalArgumentException(option + " must be at least 1; got " + v);
        }
        return v;
    }
}
