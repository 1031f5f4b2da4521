package org.tl4j.examples.tune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tl4j.core.compare.TransferTask;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.examples.tasks.DigitsTask;
import org.tl4j.vision.backbone.FashionMnistBackbone;

/**
 * Tunes fine-tuning of the Fashion-MNIST CNN on MNIST digits with a random search, then trains
 * tl4j's default fine-tuning configuration and the best candidate once more and compares both on
 * the validation and the held-out test data.
 *
 * <p>Arguments (all optional): {@code CANDIDATES MAX_MINUTES LABELS_PER_CLASS OUTPUT_DIR}; defaults
 * 8, 10, 100, {@code tl-out/tune-example}.
 */
public final class TuneVisionExample {

    private static final long SEED = 42;

    private TuneVisionExample() {}

    /** Runs the search and the comparison; see the class documentation for the arguments. */
    public static void main(String[] args) throws IOException {
        int candidates = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int labels = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path output = Path.of(args.length > 3 ? args[3] : "tl-out/tune-example");

        // The task, its split at the label budget, and the pretrained base.
        DigitsTask task = new DigitsTask(List.of(labels), SEED);
        TransferTask.Split split = task.split(labels);
        PretrainedModel base = FashionMnistBackbone.pretrained();

        // The search over fine-tuning settings, then tl4j's default fine-tuning against the best.
        SearchAgainstDefault.run(
                VisionTuning.fineTuning(
                        task.numClasses(), FineTuning.pretrainedLayers(base).size(), SEED),
                candidates,
                minutes,
                SEED,
                base,
                task,
                split,
                VisionTuning.defaults(FineTuning.NAME, task.numClasses(), SEED),
                output);
    }
}
