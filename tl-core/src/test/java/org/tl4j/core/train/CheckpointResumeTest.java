package org.tl4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.testing.CraftedFiles;
import org.tl4j.core.testing.TinyNetworks;

@Timeout(120)
class CheckpointResumeTest {

    private static final PretrainedModel BASE = TinyNetworks.pretrained(1, false);
    private static final DataSet DATA = TinyNetworks.images(40, 3, 5);
    private static final HeadConfig HEAD = HeadConfig.builder(3).dropout(0.2).build();

    private static TrainingConfig epochs(int n) {
        return TrainingConfig.builder().maxEpochs(n).patience(10).batchSize(8).seed(3).build();
    }

    private static AdaptedModel fresh() {
        return FineTuning.defaults().adapt(BASE, HEAD, 5);
    }

    @Test
    void fit_resumedAfterInterruption_equalsUninterruptedRun(@TempDir Path dir) {
        AdaptedModel uninterrupted = fresh();
        TrainingResult expected = new Trainer(epochs(4)).fit(uninterrupted, DATA, DATA);

        new Trainer(epochs(2)).withCheckpoints(dir).fit(fresh(), DATA, DATA);
        AdaptedModel resumed = fresh();
        TrainingResult actual =
                new Trainer(epochs(4)).withCheckpoints(dir).fit(resumed, DATA, DATA);

        assertEquals(4, actual.epochs());
        assertEquals(expected.bestEpoch(), actual.bestEpoch());
        assertTrue(
                uninterrupted.graph().params().equalsWithEps(resumed.graph().params(), 1e-6),
                "resumed parameters differ from the uninterrupted run's");
        assertEquals(
                expected.history().get(3).validationLoss(),
                actual.history().get(3).validationLoss(),
                1e-6);
    }

    @Test
    @Tag("bad-input")
    @DisplayName("checkpoint of another run (other seed)")
    void fit_checkpointOfAnotherRun_isRefused(@TempDir Path dir) throws Exception {
        new Trainer(epochs(1)).withCheckpoints(dir).fit(fresh(), DATA, DATA);
        TrainingConfig otherSeed = epochs(2).toBuilder().seed(99).build();
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> new Trainer(otherSeed).withCheckpoints(dir).fit(fresh(), DATA, DATA));
        assertTrue(e.getMessage().contains("belongs to another run"), e.getMessage());
        assertTrue(e.getMessage().contains("seed=99"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    @Tag("bad-input")
    @DisplayName("checkpoint whose parameter header claims 2^40 values")
    void fit_checkpointWithHugeArrayHeader_failsBeforeAllocating(@TempDir Path dir)
            throws Exception {
        new Trainer(epochs(1)).withCheckpoints(dir).fit(fresh(), DATA, DATA);
        Path file;
        try (var files = Files.list(dir)) {
            file = files.findFirst().orElseThrow();
        }
        CraftedFiles.rewriteEntry(file, "params.bin", b -> CraftedFiles.claiming(b, 1L << 40));
        UncheckedIOException e =
                assertThrows(
                        UncheckedIOException.class,
                        () -> new Trainer(epochs(2)).withCheckpoints(dir).fit(fresh(), DATA, DATA));
        assertTrue(
                e.getMessage()
                        .contains(
                                "entry params.bin: value buffer claims 1099511627776 FLOAT values"),
                e.getMessage());
        assertTrue(
                e.getMessage().startsWith("cannot resume from checkpoint " + file), e.getMessage());
    }
}
