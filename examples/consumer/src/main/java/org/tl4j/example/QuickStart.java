package org.tl4j.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.tl4j.core.io.ModelFiles;
import org.tl4j.core.metrics.ClassificationMetrics;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.Unfreeze;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;
import org.tl4j.vision.backbone.FashionMnistBackbone;
import org.tl4j.vision.data.StratifiedSplit;
import org.tl4j.vision.data.VisionDatasets;

/**
 * The README's ten-line start, as a user's application writes it: fine-tune the CNN that tl4j
 * pretrained on Fashion-MNIST to MNIST digits with 100 labelled images per class, evaluate it on
 * 2,000 held-out digits, and save it.
 *
 * <p>The lines between the {@code quickstart} markers are the README's example, character for
 * character; {@code ReadmeQuickStartTest} in tl-examples fails when the two differ.
 */
public final class QuickStart {

    private QuickStart() {}

    /**
     * Runs the example.
     *
     * @param args unused
     */
    public static void main(String[] args) throws IOException {
        try {
            run();
        } catch (UncheckedIOException e) {
            // The pretrained weights or the bundled digits could not be read from tl-vision's jar.
            System.err.println("QuickStart failed: " + e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
            System.exit(1);
        }
    }

    private static void run() throws IOException {
        // quickstart:begin
        PretrainedModel base = FashionMnistBackbone.pretrained();
        AdaptedModel model = FineTuning.builder()
                .unfreeze(Unfreeze.topLayers(2))
                .build()
                .adapt(base, HeadConfig.of(10), 42);
        StratifiedSplit.Parts digits = StratifiedSplit.builder().seed(42).build()
                .split(VisionDatasets.mnistDigits());
        Trainer trainer = new Trainer(TrainingConfig.builder().maxEpochs(10).build());
        trainer.fit(model, digits.train(100), digits.validation());
        ClassificationMetrics test = Trainer.evaluate(model.graph(), digits.test(), 128);
        ModelFiles.save(model.graph(), Path.of("digits-model.zip"));   // atomic
        System.out.printf("test accuracy %.3f, macro-F1 %.3f%n", test.accuracy(), test.macroF1());
        // quickstart:end
    }
}
