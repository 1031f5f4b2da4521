package org.tl4j.vision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.datavec.image.loader.NativeImageLoader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads an image folder with one sub-folder per class (the sub-folder's name is the class name,
 * classes are sorted by name) into DL4J {@link DataSet}s, resized to a fixed height and width, with
 * a seeded, per-class train/validation split.
 *
 * <pre>
 * root/
 *   cat/  a.jpg b.png ...
 *   dog/  c.jpg ...
 * </pre>
 *
 * <p>Features are {@code [n, channels, height, width]} in OpenCV's channel order (BGR for colour),
 * pixel values 0..255 unless {@link Builder#scaleToUnitRange(boolean)} is set; labels are one-hot.
 * Files that cannot be decoded (corrupt, truncated, empty) or do not have an image extension are
 * skipped, logged at WARN and listed in {@link Result#report()}. Hidden files and folders (name
 * starting with a dot) are ignored.
 *
 * <p>Errors: the root is missing or a file, a class folder is empty or has no readable image, or an
 * image has a different number of channels than requested while {@link
 * Builder#convertChannels(boolean)} is off: {@link IllegalArgumentException} naming the path and
 * the value found.
 *
 * <p>Limitations: everything is loaded into memory at once; meant for small and medium folders.
 */
public final class ImageFolderDataset {

    private static final Logger log = LoggerFactory.getLogger(ImageFolderDataset.class);

    /** File extensions (lower case) that are treated as images. */
    public static final Set<String> IMAGE_EXTENSIONS =
            Set.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff", "ppm", "pgm", "webp");

    private final Path root;
    private final int height;
    private final int width;
    private final int channels;
    private final double validationFraction;
    private final long seed;
    private final boolean convertChannels;
    private final boolean scaleToUnitRange;

    private ImageFolderDataset(Builder b) {
        this.root = b.root;
        this.height = b.height;
        this.width = b.width;
        this.channels = b.channels;
        this.validationFraction = b.validationFraction;
        this.seed = b.seed;
        this.convertChannels = b.convertChannels;
        this.scaleToUnitRange = b.scaleToUnitRange;
    }

    /** Starts a description of the folder at {@code root}. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /**
     * The loaded data.
     *
     * @param train the training examples, shuffled with the seed
     * @param validation the validation examples, empty when the validation fraction is 0
     * @param classNames the class names in label order
     * @param report images loaded per class and files skipped
     */
    public record Result(
            DataSet train,
            Optional<DataSet> validation,
            List<String> classNames,
            ImageLoadReport report) {}

    /**
     * Reads, checks and splits the folder.
     *
     * @throws IllegalArgumentException if the root is not a directory, has no class folders, a
     *     class folder is empty or unreadable, or an image has the wrong channel count
     * @throws IOException if listing the folder fails
     */
    public Result load() throws IOException {
        List<Path> classDirs = classFolders();
        List<String> names = new ArrayList<>();
        List<List<INDArray>> images = new ArrayList<>();
        List<SkippedImage> skipped = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        NativeImageLoader loader = new NativeImageLoader(height, width, channels);
        for (Path dir : classDirs) {
            List<INDArray> loaded = loadClass(dir, loader, skipped);
            names.add(dir.getFileName().toString());
            images.add(loaded);
            counts.put(dir.getFileName().toString(), loaded.size());
        }
        ImageLoadReport report = new ImageLoadReport(counts, skipped);
        log.info("image folder {}: {}", root, report);
        return split(names, images, report);
    }

    private List<Path> classFolders() throws IOException {
        if (!Files.exists(root)) {
            throw new IllegalArgumentException("image folder not found: " + root.toAbsolutePath());
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(
                    "image folder root must be a directory with one"
                            + " sub-folder per class, but "
                            + root.toAbsolutePath()
                            + " is a file");
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        }
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException(
                    "image folder "
                            + root.toAbsolutePath()
                            + " has no class sub-folders; expected one sub-folder per class");
        }
        return dirs;
    }

    private List<INDArray> loadClass(Path dir, NativeImageLoader loader, List<SkippedImage> skipped)
            throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !hidden(p)).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(
                    "class folder "
                            + dir.toAbsolutePath()
                            + " is empty; every class needs at least one image (remove the folder"
                            + " or add images)");
        }
        List<INDArray> out = new ArrayList<>();
        int skippedBefore = skipped.size();
        for (Path file : files) {
            ImageDecoder.Outcome o = ImageDecoder.decode(file, loader, channels, convertChannels);
            o.image().ifPresentOrElse(out::add, () -> skip(file, o.skipReason(), skipped));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    "class folder "
                            + dir.toAbsolutePath()
                            + " has no"
                            + " readable image: "
                            + skipped.subList(skippedBefore, skipped.size()));
        }
        return out;
    }

    private static void skip(Path file, String reason, List<SkippedImage> skipped) {
        log.warn("skipping {}: {}", file, reason);
        skipped.add(new SkippedImage(file, reason));
    }

    private Result split(List<String> names, List<List<INDArray>> images, ImageLoadReport report) {
        Random rng = new Random(seed);
        List<INDArray> trainX = new ArrayList<>();
        List<INDArray> valX = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>();
        List<Integer> valY = new ArrayList<>();
        for (int c = 0; c < images.size(); c++) {
            List<INDArray> shuffled = new ArrayList<>(images.get(c));
            Collections.shuffle(shuffled, rng);
            int nVal =
                    Math.min(
                            (int) Math.round(shuffled.size() * validationFraction),
                            shuffled.size() - 1);
            for (int i = 0; i < shuffled.size(); i++) {
                (i < nVal ? valX : trainX).add(shuffled.get(i));
                (i < nVal ? valY : trainY).add(c);
            }
        }
        DataSet train = toDataSet(trainX, trainY, names.size(), rng);
        Optional<DataSet> val =
                valX.isEmpty()
                        ? Optional.empty()
                        : Optional.of(toDataSet(valX, valY, names.size(), rng));
        return new Result(train, val, List.copyOf(names), report);
    }

    private DataSet toDataSet(List<INDArray> xs, List<Integer> ys, int numClasses, Random rng) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, rng);
        INDArray[] rows = order.stream().map(xs::get).toArray(INDArray[]::new);
        INDArray features = Nd4j.concat(0, rows).castTo(DataType.FLOAT);
        if (scaleToUnitRange) {
            features.divi(255f);
        }
        INDArray labels = Nd4j.zeros(DataType.FLOAT, xs.size(), numClasses);
        for (int i = 0; i < order.size(); i++) {
            labels.putScalar(i, ys.get(order.get(i)), 1f);
        }
        return new DataSet(features, labels);
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Builder for {@link ImageFolderDataset}; {@link #build()} validates. */
    public static final class Builder {
        private final Path root;
        private int height;
        private int width;
        private int channels = 3;
        private double validationFraction = 0.2;
        private long seed = 42;
        private boolean convertChannels;
        private boolean scaleToUnitRange;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /** Height and width every image is resized to, each at least 1. Required. */
        public Builder size(int height, int width) {
            this.height = height;
            this.width = width;
            return this;
        }

        /** Channels of the output: 1 (grey), 3 (colour) or 4 (with alpha); default 3. */
        public Builder channels(int channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Fraction of each class held out for validation, in [0, 1); default 0.2. Each class keeps
         * at least one training image.
         */
        public Builder validationFraction(double validationFraction) {
            this.validationFraction = validationFraction;
            return this;
        }

        /** Seed of the split and of the shuffles; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether images whose channel count differs from {@link #channels(int)} are converted
         * (grey to colour, colour to grey, alpha dropped) instead of rejected; default false.
         */
        public Builder convertChannels(boolean convertChannels) {
            this.convertChannels = convertChannels;
            return this;
        }

        /** Whether pixels are divided by 255 into 0..1; default false (0..255). */
        public Builder scaleToUnitRange(boolean scaleToUnitRange) {
            this.scaleToUnitRange = scaleToUnitRange;
            return this;
        }

        /** Validates and builds; the builder is not changed. */
        public ImageFolderDataset build() {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException(
                        "size(height, width) must be set to values"
                                + " of at least 1; got height="
                                + height
                                + ", width="
                                + width);
            }
            if (channels != 1 && channels != 3 && channels != 4) {
                throw new IllegalArgumentException("channels must be 1, 3 or 4; got " + channels);
            }
            if (!(validationFraction >= 0 && validationFraction < 1)) {
                throw new IllegalArgumentException(
                        "validationFraction must be in [0, 1); got " + validationFraction);
            }
            return new ImageFolderDataset(this);
        }
    }
}
