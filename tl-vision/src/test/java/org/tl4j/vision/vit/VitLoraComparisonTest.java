package org.tl4j.vision.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.core.compare.Comparison;
import org.tl4j.core.compare.ComparisonRow;
import org.tl4j.core.compare.ComparisonTable;
import org.tl4j.core.compare.TransferTask;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.FromScratch;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.LoraStrategy;
import org.tl4j.core.train.Batches;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;
import org.tl4j.vision.data.StratifiedSplit;
import org.tl4j.vision.data.VisionDatasets;

/**
 * LoRA on a tiny ViT as one more contender of a comparison whose other strategies start from a
 * different base model: its own row, with its trainable parameters counted by formula.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VitLoraComparisonTest {

    private static final VitConfig TINY =
            VitConfig.builder().patchSize(14).hidden(8).heads(2).mlpSize(8).depth(1).build();

    /** Bundled MNIST digits: 3 and 5 labels per class, 5 validation, 20 test per class. */
    private static final class TinyDigits implements TransferTask {
        private final StratifiedSplit.Parts parts =
                StratifiedSplit.builder()
                        .testPerClass(20)
                        .validationPerClass(5)
                        .seed(3)
                        .build()
                        .split(VisionDatasets.mnistDigits());

        @Override
        public String name() {
            return "tiny-digits";
        }

        @Override
        public int numClasses() {
            return 10;
        }

        @Override
        public List<Integer> labelBudgets() {
            return List.of(3, 5);
        }

        @Override
        public Split split(int labelsPerClass) {
            DataSet train = parts.train(labelsPerClass);
            return new Split(Batches.toMulti(train), Batches.toMulti(parts.validation()));
        }

        @Override
        public MultiDataSet test() {
            return Batches.toMulti(parts.test());
        }
    }

    @Test
    void run_vitLoraContender_hasOwnRowsWithAdapterAndHeadTrainable() {
        PretrainedModel vit =
                VisionTransformer.describe(
                        VisionTransformer.architecture(TINY, 5), TINY, "tiny-vit");
        PretrainedModel other =
                VisionTransformer.describe(
                        VisionTransformer.architecture(TINY, 6), TINY, "other-vit");
        int rank = 2;
        LoraConfig lora =
                LoraConfig.builder()
                        .rank(rank)
                        .alpha(4)
                        .targets(VisionTransformer.LORA_TARGETS)
                        .build();
        Comparison comparison =
                new Comparison(
                                other,
                                List.of(new FromScratch(1e-2)),
                                HeadConfig.of(10),
                                new Trainer(
                                        TrainingConfig.builder()
                                                .maxEpochs(2)
                                                .batchSize(16)
                                                .build()))
                        .withContender("vit-lora", new LoraStrategy(lora, 1e-2), vit);
        List<String> runs = new ArrayList<>();
        ComparisonTable table =
                comparison.run(
                        new TinyDigits(), (s, budget, run, total) -> runs.add(run + " " + s));

        assertEquals(List.of("1 from-scratch", "2 vit-lora", "3 from-scratch", "4 vit-lora"), runs);
        ComparisonRow row = table.rows().get(3);
        assertEquals("vit-lora", row.strategy());
        assertEquals(5, row.labelsPerClass());
        // query and value of one block: A (8 x r) and B (r x 8) each; new head 8 x 10 + 10
        long adapters = 2L * (8 * rank + rank * 8);
        long head = 8 * 10 + 10;
        assertEquals(adapters + head, row.trainableParameters());
        long oldHead = 8 * 10 + 10;
        assertEquals(vit.graph().numParams() - oldHead, row.frozenParameters());
        assertTrue(row.accuracy() >= 0 && row.accuracy() <= 1);
        assertTrue(row.trainingSeconds() > 0);
    }

    @Test
    void withContender_duplicateName_throwsListingNames() {
        PretrainedModel vit =
                VisionTransformer.describe(
                        VisionTransformer.architecture(TINY, 5), TINY, "tiny-vit");
        Comparison comparison =
                new Comparison(
                        vit,
                        List.of(new FromScratch(1e-2)),
                        HeadConfig.of(10),
                        new Trainer(TrainingConfig.defaults()));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> comparison.withContender("from-scratch", new FromScratch(1e-3), vit));
        assertEquals(
                "contender names must be unique, got [from-scratch, from-scratch]; name each"
                        + " base's row",
                e.getMessage());
    }
}
