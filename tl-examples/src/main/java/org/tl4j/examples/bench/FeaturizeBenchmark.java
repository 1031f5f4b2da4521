package org.tl4j.examples.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.tl4j.core.compare.TransferTask;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.train.EpochResult;
import org.tl4j.core.train.FeatureCache;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;
import org.tl4j.core.train.TrainingResult;
import org.tl4j.examples.tasks.DigitsTask;
import org.tl4j.vision.backbone.FashionMnistBackbone;

/**
 * Featurize-once benchmark: one head-training epoch on cached features divided by one epoch through
 * the frozen backbone, both measured in this run on the same data (the default vision task at 500
 * labelled images per class).
 *
 * <p>Run: {@code TL_MAIN=org.tl4j.examples.bench.FeaturizeBenchmark ./tl [epochs]}.
 */
public final class FeaturizeBenchmark {

    private FeaturizeBenchmark() {}

    /** Runs the benchmark and prints the ratio. */
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        PretrainedModel base = FashionMnistBackbone.pretrained();
        TransferTask.Split split = new DigitsTask(List.of(500), 42).split(500);
        TrainingConfig config = TrainingConfig.builder().maxEpochs(epochs).patience(epochs).build();
        Path cacheDir = Files.createTempDirectory("tl4j-bench-cache");
        Trainer cached = new Trainer(config).withFeatureCache(FeatureCache.onDisk(cacheDir));

        // Warm-up: JIT and native libraries; also fills the feature cache.
        long start = System.nanoTime();
        cached.fit(adapt(base, true), split.train(), split.validation());
        double firstRun = (System.nanoTime() - start) / 1e9;

        TrainingResult onFeatures =
                cached.fit(adapt(base, true), split.train(), split.validation());
        TrainingResult throughBackbone =
                new Trainer(config).fit(adapt(base, false), split.train(), split.validation());
        double headEpoch = median(onFeatures);
        double fullEpoch = median(throughBackbone);
        System.out.printf(
                "examples per epoch: %d, epochs: %d%n", split.train().getLabels(0).size(0), epochs);
        System.out.printf("first cached run (features computed and written): %.2f s%n", firstRun);
        System.out.printf("median epoch on cached features:   %.4f s%n", headEpoch);
        System.out.printf("median epoch through the backbone: %.4f s%n", fullEpoch);
        System.out.printf(
                "ratio cached / through backbone: %.4f (1/%.0f)%n",
                headEpoch / fullEpoch, fullEpoch / headEpoch);
    }

    private static AdaptedModel adapt(PretrainedModel base, boolean cache) {
        return FeatureExtraction.builder()
                .cacheFeatures(cache)
                .build()
                .adapt(base, HeadConfig.of(10), 42);
    }

    private static double median(TrainingResult result) {
        double[] seconds = result.history().stream().mapToDouble(EpochResult::seconds).toArray();
        Arrays.sort(seconds);
        return seconds[seconds.length / 2];
    }
}
