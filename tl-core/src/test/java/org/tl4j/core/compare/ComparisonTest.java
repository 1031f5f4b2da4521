package org.tl4j.core.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.FromScratch;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.testing.TinyNetworks;
import org.tl4j.core.train.Batches;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;

@Timeout(120)
class ComparisonTest {

    /** Synthetic task: budgets of 4 and 8 examples per class out of a pool of 60. */
    private static final class TinyTask implements TransferTask {
        private final DataSet pool = TinyNetworks.images(60, 3, 1);
        private final MultiDataSet test = Batches.toMulti(TinyNetworks.images(30, 3, 2));

        @Override
        public String name() {
            return "tiny";
        }

        @Override
        public int numClasses() {
            return 3;
        }

        @Override
        public List<Integer> labelBudgets() {
            return List.of(4, 8);
        }

        @Override
        public Split split(int labelsPerClass) {
            int[] rows = new int[labelsPerClass * 3];
            java.util.Arrays.setAll(rows, i -> i);
            int[] val = new int[15];
            java.util.Arrays.setAll(val, i -> 45 + i);
            MultiDataSet all = Batches.toMulti(pool);
            return new Split(Batches.select(all, rows), Batches.select(all, val));
        }

        @Override
        public MultiDataSet test() {
            return test;
        }
    }

    @Test
    void run_everyStrategyAtEveryBudget_writesTablesThatRoundTrip(@TempDir Path dir)
            throws IOException {
        Comparison comparison =
                new Comparison(
                        TinyNetworks.pretrained(1, false),
                        List.of(
                                new FromScratch(0.01),
                                FeatureExtraction.defaults(),
                                FineTuning.defaults()),
                        HeadConfig.of(3),
                        new Trainer(TrainingConfig.builder().maxEpochs(2).build()));
        List<String> runs = new ArrayList<>();
        ComparisonTable table =
                comparison.run(
                        new TinyTask(),
                        (strategy, budget, run, total) ->
                                runs.add(run + "/" + total + " " + strategy));
        assertEquals(6, table.rows().size());
        assertEquals("6/6 fine-tuning", runs.get(5));
        table.writeTo(dir);
        assertEquals(table, ComparisonTable.readJson(dir.resolve("comparison.json")));
        String markdown = Files.readString(dir.resolve("comparison.md"));
        String csv = Files.readString(dir.resolve("comparison.csv"));
        for (ComparisonRow row : table.rows()) {
            String accuracy = String.format(java.util.Locale.ROOT, "%.4f", row.accuracy());
            assertTrue(markdown.contains(accuracy) && csv.contains(accuracy), accuracy);
        }
        assertEquals(7, csv.lines().count());
        ComparisonRow fe = table.rows().get(1);
        assertEquals("feature-extraction", fe.strategy());
        assertEquals(8 * 3 + 3, fe.trainableParameters());
        assertEquals(
                2L * 4 * fe.trainableParameters(),
                fe.optimizerStateBytes(),
                "Adam keeps two float moments per trainable parameter");
    }
}
