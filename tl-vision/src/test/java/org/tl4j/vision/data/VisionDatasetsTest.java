package org.tl4j.vision.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.vision.data.VisionDatasets.IdxSplit;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VisionDatasetsTest {

    @TempDir Path dir;

    @Test
    void mnistDigits_bundled_has10000ImagesAbout1000PerClass() {
        DataSet data = VisionDatasets.mnistDigits();
        assertArrayEquals(new long[] {10000, 1, 28, 28}, data.getFeatures().shape());
        assertArrayEquals(new long[] {10000, 10}, data.getLabels().shape());
        INDArray perClass = data.getLabels().sum(0);
        for (int c = 0; c < 10; c++) {
            int n = perClass.getInt(c);
            assertTrue(n > 800 && n < 1200, "class " + c + " has " + n);
        }
        assertEquals(863, perClass.getInt(5));
        assertEquals(0.0, data.getFeatures().minNumber().doubleValue(), 0.0);
        assertEquals(1.0, data.getFeatures().maxNumber().doubleValue(), 0.0);
    }

    @Test
    void fashionMnistSubset_bundled_has200PerClass() {
        DataSet data = VisionDatasets.fashionMnistSubset();
        assertArrayEquals(new long[] {2000, 1, 28, 28}, data.getFeatures().shape());
        INDArray perClass = data.getLabels().sum(0);
        for (int c = 0; c < 10; c++) {
            assertEquals(200, perClass.getInt(c), "class " + c);
        }
    }

    @Test
    void fashionMnist_directoryLayout_readsTrainSplit() throws IOException {
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {3, 28, 28}, 3 * 784);
        writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {3}, 3);
        DataSet data = VisionDatasets.fashionMnist(dir, IdxSplit.TRAIN);
        assertEquals(3, data.numExamples());
        assertEquals(1f, data.getLabels().getFloat(2, 2), 0f);
    }

    @Test
    @Tag("bad-input")
    @DisplayName("missing Fashion-MNIST directory")
    void fashionMnist_missingDirectory_messageSaysWhatToPutThere() {
        Path missing = dir.resolve("no-such-dir");
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> VisionDatasets.fashionMnist(missing, IdxSplit.TEST));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("label 2 outside 2 classes")
    void toDataSet_labelOutOfRange_throwsWithValue() throws IOException {
        writeIdx(dir.resolve("i"), new int[] {3, 28, 28}, 3 * 784);
        writeIdx(dir.resolve("l"), new int[] {3}, 3);
        IdxData images = IdxReader.read(dir.resolve("i"));
        IdxData labels = IdxReader.read(dir.resolve("l"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> VisionDatasets.toDataSet(images, labels, 2));
        assertTrue(e.getMessage().contains("label 2 at index 2"), e.getMessage());
    }

    @Test
    void split_mnist_disjointStratifiedAndNested() {
        DataSet data = VisionDatasets.mnistDigits();
        StratifiedSplit.Parts parts =
                StratifiedSplit.builder()
                        .testPerClass(200)
                        .validationPerClass(50)
                        .seed(7)
                        .build()
                        .split(data);
        assertEquals(2000, parts.test().numExamples());
        assertEquals(500, parts.validation().numExamples());
        assertEquals(863 - 250, parts.maxTrainPerClass());
        Set<Integer> test = new HashSet<>(parts.testIndices());
        Set<Integer> val = new HashSet<>(parts.validationIndices());
        Set<Integer> train500 = new HashSet<>(parts.trainIndices(500));
        assertEquals(2000, test.size());
        assertTrue(disjoint(test, val) && disjoint(test, train500) && disjoint(val, train500));
        assertTrue(train500.containsAll(parts.trainIndices(10)), "budgets must be nested");
        INDArray perClass = parts.train(100).getLabels().sum(0);
        for (int c = 0; c < 10; c++) {
            assertEquals(100, perClass.getInt(c));
        }
    }

    @Test
    void split_sameSeed_sameTestSet_otherSeed_different() {
        DataSet data = VisionDatasets.fashionMnistSubset();
        StratifiedSplit a = StratifiedSplit.builder().testPerClass(20).seed(1).build();
        StratifiedSplit b = StratifiedSplit.builder().testPerClass(20).seed(2).build();
        List<Integer> first = a.split(data).testIndices();
        assertEquals(first, a.split(data).testIndices());
        assertTrue(!first.equals(b.split(data).testIndices()));
    }

    @Test
    @Tag("bad-input")
    @DisplayName("151 training labels per class from a pool of 150")
    void train_budgetAboveSmallestPool_throwsWithLimit() {
        StratifiedSplit.Parts parts =
                StratifiedSplit.builder()
                        .testPerClass(20)
                        .validationPerClass(30)
                        .build()
                        .split(VisionDatasets.fashionMnistSubset());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> parts.train(151));
        assertEquals(
                "perClass must be in 1..150 (the smallest class's training pool);" + " got 151",
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("class smaller than test plus validation split")
    void split_classTooSmall_throwsNamingClass() {
        StratifiedSplit split = StratifiedSplit.builder().testPerClass(190).build();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> split.split(VisionDatasets.fashionMnistSubset()));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "class 0 has 200 examples, fewer than"
                                        + " testPerClass + validationPerClass = 240"),
                e.getMessage());
    }

    private static boolean disjoint(Set<Integer> a, Set<Integer> b) {
        Set<Integer> c = new HashSet<>(a);
        c.retainAll(b);
        return c.isEmpty();
    }

    private static void writeIdx(Path file, int[] dims, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + n);
        b.put(new byte[] {0, 0, 8, (byte) dims.length});
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 256));
        }
        byte[] raw = b.array();
        Files.write(file, file.toString().endsWith(".gz") ? IdxReaderTest.gzip(raw) : raw);
    }
}
