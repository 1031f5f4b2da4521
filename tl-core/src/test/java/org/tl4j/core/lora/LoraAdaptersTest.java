package org.tl4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.core.testing.CraftedFiles;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoraAdaptersTest {

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    private static ComputationGraph trainedAdapter(ComputationGraph base, LoraConfig config) {
        ComputationGraph adapted = Lora.apply(base, config);
        DataSet ds = LoraTestNets.data(16, 3, DataType.FLOAT);
        for (int i = 0; i < 5; i++) {
            adapted.fit(ds);
        }
        return adapted;
    }

    @Test
    void load_freshCopyOfBase_reproducesOutputsExactlyAndRestoresHead(@TempDir Path dir)
            throws Exception {
        LoraConfig config = LoraTestNets.config().toBuilder().bias(LoraBias.ALL).build();
        ComputationGraph adapted = trainedAdapter(LoraTestNets.mlp(1), config);
        Path file = dir.resolve("adapter.zip");
        LoraAdapters.save(adapted, config, file);
        // Same base weights, but a freshly initialised head: the file must restore it.
        ComputationGraph freshBase = LoraTestNets.mlp(1);
        freshBase.getLayer("out").getParam("W").assign(0.123);
        ComputationGraph loaded = LoraAdapters.load(freshBase, file);
        INDArray x = LoraTestNets.data(8, 2, DataType.FLOAT).getFeatures();
        assertEquals(0.0, maxAbsDiff(adapted.outputSingle(x), loaded.outputSingle(x)));
        assertEquals(
                0.0,
                maxAbsDiff(
                        adapted.getLayer("out").getParam("W"),
                        loaded.getLayer("out").getParam("W")));
        assertEquals(config, LoraAdapters.readConfig(file));
    }

    @Test
    void save_adapterFile_aboutFourBytesPerSavedParameter(@TempDir Path dir) throws Exception {
        LoraConfig config = LoraConfig.builder().rank(2).targets("fc1", "q").build();
        ComputationGraph adapted = trainedAdapter(LoraTestNets.mlp(1), config);
        Path file = dir.resolve("adapter.zip");
        LoraAdapters.save(adapted, config, file);
        long saved = Lora.report(adapted).trainableParams();
        long size = Files.size(file);
        // Four tensors: about 4 bytes per parameter plus a small header (config, manifest, zip
        // directory and ND4J array headers).
        assertTrue(size <= 4 * saved + 4096, "adapter file " + size + " bytes for " + saved);
        File model = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(adapted, model, false);
        assertTrue(size < model.length(), size + " vs model " + model.length());
    }

    @Test
    void save_largerAdapter_sizeScalesAtFourBytesPerParameter(@TempDir Path dir) throws Exception {
        LoraConfig small = LoraConfig.builder().rank(1).targets("fc1", "q").build();
        LoraConfig large = LoraConfig.builder().rank(4).targets("fc1", "q").build();
        Path a = dir.resolve("r1.zip");
        Path b = dir.resolve("r4.zip");
        ComputationGraph adaptedSmall = trainedAdapter(LoraTestNets.mlp(1), small);
        ComputationGraph adaptedLarge = trainedAdapter(LoraTestNets.mlp(1), large);
        LoraAdapters.save(adaptedSmall, small, a);
        LoraAdapters.save(adaptedLarge, large, b);
        long extraParams =
                Lora.report(adaptedLarge).trainableParams()
                        - Lora.report(adaptedSmall).trainableParams();
        double bytesPerParam = (double) (Files.size(b) - Files.size(a)) / extraParams;
        assertTrue(bytesPerParam > 3.0 && bytesPerParam < 5.0, "bytes/param " + bytesPerParam);
    }

    @Test
    @Tag("bad-input")
    @DisplayName("LoRA adapter loaded onto another base model")
    void load_differentBase_throwsFingerprintMismatch(@TempDir Path dir) throws Exception {
        LoraConfig config = LoraTestNets.config();
        Path file = dir.resolve("adapter.zip");
        LoraAdapters.save(trainedAdapter(LoraTestNets.mlp(1), config), config, file);
        ComputationGraph other = LoraTestNets.mlp(2);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LoraAdapters.load(other, file));
        assertTrue(
                e.getMessage().contains("was trained on a different base model"), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains("this graph's is " + LoraAdapters.fingerprint(other, config)),
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("LoRA adapter whose tensor header claims 2^40 values")
    void load_tensorHeaderClaimingHugeSize_failsBeforeAllocating(@TempDir Path dir)
            throws Exception {
        LoraConfig config = LoraTestNets.config();
        ComputationGraph base = LoraTestNets.mlp(1);
        Path file = dir.resolve("adapter.zip");
        LoraAdapters.save(trainedAdapter(base, config), config, file);
        String tensor =
                CraftedFiles.entryNames(file).stream()
                        .filter(n -> n.endsWith(".bin"))
                        .findFirst()
                        .orElseThrow();
        CraftedFiles.rewriteEntry(file, tensor, b -> CraftedFiles.claiming(b, 1L << 40));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LoraAdapters.load(base, file));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "adapter "
                                        + file
                                        + " entry "
                                        + tensor
                                        + ": value buffer claims 1099511627776"),
                e.getMessage());
    }

    @Test
    void fingerprint_baseAndAdapted_equalAndIndependentOfTraining() {
        LoraConfig config = LoraTestNets.config();
        ComputationGraph base = LoraTestNets.mlp(1);
        String fromBase = LoraAdapters.fingerprint(base, config);
        assertEquals(fromBase, LoraAdapters.fingerprint(trainedAdapter(base, config), config));
        assertTrue(!fromBase.equals(LoraAdapters.fingerprint(LoraTestNets.mlp(2), config)));
    }

    @Test
    void save_mergedGraph_throwsIllegalState(@TempDir Path dir) {
        LoraConfig config = LoraTestNets.config();
        ComputationGraph adapted = trainedAdapter(LoraTestNets.mlp(1), config);
        Lora.merge(adapted);
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> LoraAdapters.save(adapted, config, dir.resolve("a.zip")));
        assertTrue(e.getMessage().contains("unmerge"), e.getMessage());
    }

    @Test
    void save_existingFile_replacedWithoutLeftoverTemporaryFiles(@TempDir Path dir)
            throws Exception {
        LoraConfig config = LoraTestNets.config();
        ComputationGraph adapted = trainedAdapter(LoraTestNets.mlp(1), config);
        Path file = dir.resolve("adapter.zip");
        Files.writeString(file, "old");
        LoraAdapters.save(adapted, config, file);
        LoraAdapters.save(adapted, config, file);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
        assertEquals(config, LoraAdapters.readConfig(file));
    }
}
