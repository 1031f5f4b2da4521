package org.tl4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.testing.CraftedFiles;
import org.tl4j.core.testing.TinyNetworks;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FeatureCacheTest {

    @TempDir Path dir;

    /**
     * A cache entry is tl4j's own file, so a damaged one is not an error: it is logged, ignored and
     * computed again (the documented behaviour), without allocating what its header claims.
     */
    @Test
    @Tag("bad-input")
    @DisplayName("feature cache entry whose array header claims 2^40 values is recomputed")
    void featurize_entryWithHugeArrayHeader_isIgnoredAndRecomputed() throws Exception {
        AdaptedModel model =
                FeatureExtraction.defaults()
                        .adapt(TinyNetworks.pretrained(4, false), HeadConfig.of(3), 3);
        MultiDataSet data = Batches.toMulti(TinyNetworks.images(20, 3, 5));
        MultiDataSet expected = FeatureCache.onDisk(dir).featurize(model.graph(), "features", data);
        Path entry;
        try (var files = Files.list(dir)) {
            entry = files.filter(p -> p.toString().endsWith(".features")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        // Four array counts, then the first array (the features).
        byte[] crafted =
                CraftedFiles.claiming(Arrays.copyOfRange(bytes, 16, bytes.length), 1L << 40);
        System.arraycopy(crafted, 0, bytes, 16, crafted.length);
        Files.write(entry, bytes);

        IOException e = assertThrows(IOException.class, () -> FeatureCache.read(entry));
        assertEquals(
                "feature cache entry "
                        + entry
                        + " array 0: value buffer claims 1099511627776 FLOAT values"
                        + " (4398046511104 bytes) but only "
                        + (bytes.length - 16 - valueHeaderEnd(crafted))
                        + " bytes follow (truncated or crafted file)",
                e.getMessage());

        MultiDataSet again = FeatureCache.onDisk(dir).featurize(model.graph(), "features", data);

        assertEquals(expected.getFeatures(0), again.getFeatures(0));
        assertFalse(
                Arrays.equals(bytes, Files.readAllBytes(entry)), "the damaged entry is replaced");
    }

    /** Where the value buffer's header of an array in ND4J's format ends. */
    private static int valueHeaderEnd(byte[] array) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(array);
        int shapeHeader = 2 + b.getShort(0);
        int typeName = shapeHeader + 8;
        int valueHeader = typeName + 2 + b.getShort(typeName) + (int) (8 * b.getLong(shapeHeader));
        int valueType = valueHeader + 2 + b.getShort(valueHeader) + 8;
        return valueType + 2 + b.getShort(valueType);
    }
}
