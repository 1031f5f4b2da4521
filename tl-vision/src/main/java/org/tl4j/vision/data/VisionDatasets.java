package org.tl4j.vision.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MNIST-family image data sets as DL4J {@link DataSet}s: features {@code [n, 1, 28, 28]} with
 * pixels scaled to 0..1 (value / 255), labels one-hot {@code [n, 10]}.
 *
 * <p>Two small sets ship inside tl-vision so that tests and the default run work offline (see the
 * README beside the resources for how they were made):
 *
 * <ul>
 *   <li>{@link #mnistDigits()}: 10,000 handwritten digits (about 1,000 per class);
 *   <li>{@link #fashionMnistSubset()}: 2,000 Fashion-MNIST test images, 200 per class.
 * </ul>
 *
 * The full Fashion-MNIST (60,000 + 10,000) is read from a directory with {@link #fashionMnist(Path,
 * IdxSplit)}.
 */
public final class VisionDatasets {

    private static final Logger log = LoggerFactory.getLogger(VisionDatasets.class);

    /** Classpath folder of the bundled data files. */
    public static final String RESOURCE_DIR = "/org/tl4j/vision/data/";

    /** Number of classes in MNIST and Fashion-MNIST. */
    public static final int NUM_CLASSES = 10;

    /** Fashion-MNIST class names, indexed by label. */
    public static final List<String> FASHION_MNIST_CLASSES =
            List.of(
                    "T-shirt/top",
                    "Trouser",
                    "Pullover",
                    "Dress",
                    "Coat",
                    "Sandal",
                    "Shirt",
                    "Sneaker",
                    "Bag",
                    "Ankle boot");

    /** The two splits of the MNIST-family distributions. */
    public enum IdxSplit {
        /** The training split, files {@code train-*-ubyte.gz} (60,000 images). */
        TRAIN("train"),
        /** The test split, files {@code t10k-*-ubyte.gz} (10,000 images). */
        TEST("t10k");

        private final String prefix;

        IdxSplit(String prefix) {
            this.prefix = prefix;
        }

        /** The file-name prefix of this split, {@code train} or {@code t10k}. */
        public String prefix() {
            return prefix;
        }
    }

    private VisionDatasets() {}

    /** The bundled 10,000 MNIST digits, in class order (shuffle or split before training). */
    public static DataSet mnistDigits() {
        return bundled("mnist-10k");
    }

    /** The bundled 2,000 Fashion-MNIST test images, 200 per class, in a fixed shuffled order. */
    public static DataSet fashionMnistSubset() {
        return bundled("fashion-mnist-2k");
    }

    /**
     * Reads one split of the full Fashion-MNIST (or MNIST) from a directory in the layout of the
     * original distribution and of Debian's {@code dataset-fashion-mnist} ({@code
     * /usr/share/datasets/fashion-mnist}): {@code train-images-idx3-ubyte.gz}, {@code
     * train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz}, {@code
     * t10k-labels-idx1-ubyte.gz}. Uncompressed files without {@code .gz} are accepted too.
     *
     * @throws IOException if the directory or a file is missing or invalid; the message names the
     *     path and what was expected
     */
    public static DataSet fashionMnist(Path directory, IdxSplit split) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(
                    "Fashion-MNIST directory not found: "
                            + directory.toAbsolutePath()
                            + " (expected a directory holding "
                            + split.prefix()
                            + "-images-idx3-ubyte.gz and "
                            + split.prefix()
                            + "-labels-idx1-ubyte.gz;"
                            + " on Debian: apt-get install dataset-fashion-mnist, then use"
                            + " /usr/share/datasets/fashion-mnist)");
        }
        Path images = idxFile(directory, split.prefix() + "-images-idx3-ubyte");
        Path labels = idxFile(directory, split.prefix() + "-labels-idx1-ubyte");
        return toDataSet(IdxReader.read(images), IdxReader.read(labels), NUM_CLASSES);
    }

    /**
     * Combines an image IDX file and a label IDX file into a data set.
     *
     * @param numClasses number of classes for the one-hot labels; every label must be below it
     * @throws IllegalArgumentException if the counts differ, the images are not rank 3, or a label
     *     is out of range
     */
    public static DataSet toDataSet(IdxData images, IdxData labels, int numClasses) {
        checkPair(images, labels, numClasses);
        int n = images.count();
        int[] dims = images.dimensions();
        int size = images.itemSize();
        float[] pixels = new float[n * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = images.unsigned(i) / 255f;
        }
        INDArray features = Nd4j.create(pixels, new long[] {n, 1, dims[1], dims[2]}, 'c');
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, n, numClasses);
        for (int i = 0; i < n; i++) {
            oneHot.putScalar(i, labels.unsigned(i), 1f);
        }
        return new DataSet(features, oneHot);
    }

    private static void checkPair(IdxData images, IdxData labels, int numClasses) {
        if (images.dimensions().length != 3) {
            throw new IllegalArgumentException(
                    "images "
                            + images.source()
                            + " must have rank 3"
                            + " [count, rows, columns]; found dimensions "
                            + Arrays.toString(images.dimensions()));
        }
        if (labels.dimensions().length != 1 || labels.count() != images.count()) {
            throw new IllegalArgumentException(
                    "labels "
                            + labels.source()
                            + " must be one label"
                            + " per image: found dimensions "
                            + Arrays.toString(labels.dimensions())
                            + " for "
                            + images.count()
                            + " images");
        }
        for (int i = 0; i < labels.count(); i++) {
            if (labels.unsigned(i) >= numClasses) {
                throw new IllegalArgumentException(
                        "label "
                                + labels.unsigned(i)
                                + " at index "
                                + i
                                + " of "
                                + labels.source()
                                + " is not below numClasses="
                                + numClasses);
            }
        }
    }

    private static Path idxFile(Path directory, String stem) throws IOException {
        for (String name : List.of(stem + ".gz", stem)) {
            Path p = directory.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException(
                "missing IDX file "
                        + directory.resolve(stem + ".gz")
                        + " (or uncompressed "
                        + stem
                        + ")");
    }

    private static DataSet bundled(String stem) {
        IdxData images = resource(stem + "-images-idx3-ubyte.gz");
        IdxData labels = resource(stem + "-labels-idx1-ubyte.gz");
        log.debug("loaded bundled {}: {} images", stem, images.count());
        return toDataSet(images, labels, NUM_CLASSES);
    }

    private static IdxData resource(String name) {
        String path = RESOURCE_DIR + name;
        try (InputStream in = VisionDatasets.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(
                        "bundled data "
                                + path
                                + " is missing from the classpath; rebuild tl-vision"
                                + " (scripts/make-vision-data.sh makes it)");
            }
            return IdxReader.read(in, "classpath:" + path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled data " + path, e);
        }
    }
}
