package org.tl4j.vision.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImageFolderDatasetTest {

    @TempDir Path root;

    /** Writes a PNG of the given type (TYPE_3BYTE_BGR, TYPE_BYTE_GRAY, TYPE_4BYTE_ABGR). */
    static Path png(Path file, int type, int size, int value) throws IOException {
        BufferedImage img = new BufferedImage(size, size, type);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, 0xFF000000 | (value << 16) | (value << 8) | value);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private void goodFolder() throws IOException {
        for (int i = 0; i < 5; i++) {
            png(root.resolve("cat/c" + i + ".png"), BufferedImage.TYPE_3BYTE_BGR, 12, 10);
            png(root.resolve("dog/d" + i + ".png"), BufferedImage.TYPE_3BYTE_BGR, 20, 200);
        }
    }

    @Test
    void load_goodFolder_resizesSplitsAndLabelsByClass() throws IOException {
        goodFolder();
        ImageFolderDataset.Result r =
                ImageFolderDataset.builder(root)
                        .size(8, 6)
                        .validationFraction(0.4)
                        .seed(1)
                        .build()
                        .load();
        assertEquals(List.of("cat", "dog"), r.classNames());
        DataSet train = r.train();
        DataSet val = r.validation().orElseThrow();
        assertArrayEquals(new long[] {6, 3, 8, 6}, train.getFeatures().shape());
        assertEquals(4, val.numExamples());
        assertArrayEquals(new double[] {3, 3}, train.getLabels().sum(0).toDoubleVector(), 0);
        assertEquals(Map.of("cat", 5, "dog", 5), r.report().loadedPerClass());
        assertTrue(r.report().skipped().isEmpty());
        for (int i = 0; i < train.numExamples(); i++) {
            double pixel = train.getFeatures().getDouble(i, 0, 4, 3);
            int label = train.getLabels().getRow(i).argMax().getInt(0);
            assertEquals(label == 0 ? 10 : 200, pixel, 1.0, "pixel of example " + i);
        }
    }

    @Test
    void load_scaleToUnitRange_dividesBy255() throws IOException {
        goodFolder();
        DataSet train =
                ImageFolderDataset.builder(root)
                        .size(4, 4)
                        .validationFraction(0)
                        .scaleToUnitRange(true)
                        .build()
                        .load()
                        .train();
        assertEquals(200 / 255.0, train.getFeatures().maxNumber().doubleValue(), 1e-3);
    }

    @Test
    @Tag("bad-input")
    @DisplayName("not-an-image, zero-byte and text files are skipped and reported")
    void load_corruptAndZeroByteFiles_skippedAndReported() throws IOException {
        goodFolder();
        Path corrupt = Files.write(root.resolve("cat/broken.png"), "not a png".getBytes());
        Path empty = Files.write(root.resolve("dog/empty.jpg"), new byte[0]);
        Path text = Files.write(root.resolve("dog/notes.txt"), "hello".getBytes());
        ImageLoadReport report =
                ImageFolderDataset.builder(root).size(8, 8).build().load().report();
        assertEquals(10, report.loaded());
        Map<Path, String> why = new HashMap<>();
        report.skipped().forEach(s -> why.put(s.file(), s.reason()));
        assertEquals(3, why.size(), report.toString());
        assertTrue(why.get(corrupt).startsWith("corrupt or not an image"), why.get(corrupt));
        assertEquals("empty file (0 bytes)", why.get(empty));
        assertTrue(why.get(text).startsWith("not an image file extension"), why.get(text));
    }

    @Test
    @Tag("bad-input")
    @DisplayName("empty class folder")
    void load_emptyClassFolder_throwsNamingFolder() throws IOException {
        goodFolder();
        Path bird = Files.createDirectories(root.resolve("bird"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ImageFolderDataset.builder(root).size(8, 8).build().load());
        assertEquals(
                "class folder "
                        + bird.toAbsolutePath()
                        + " is empty; every class needs at"
                        + " least one image (remove the folder or add images)",
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("class folder whose only file is not an image")
    void load_classWithOnlyCorruptFiles_throwsListingThem() throws IOException {
        goodFolder();
        Files.createDirectories(root.resolve("bird"));
        Files.write(root.resolve("bird/x.png"), new byte[] {1, 2, 3});
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ImageFolderDataset.builder(root).size(8, 8).build().load());
        assertTrue(e.getMessage().contains("has no readable image"), e.getMessage());
        assertTrue(e.getMessage().contains("x.png"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("grey image where 3 channels are requested")
    void load_greyImageWhenColourRequested_throwsNamingFileAndChannels() throws IOException {
        goodFolder();
        Path grey = png(root.resolve("dog/grey.png"), BufferedImage.TYPE_BYTE_GRAY, 8, 90);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ImageFolderDataset.builder(root)
                                        .size(8, 8)
                                        .channels(3)
                                        .build()
                                        .load());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "image "
                                        + grey.toAbsolutePath()
                                        + " has 1"
                                        + " channel(s) but 3 were requested"),
                e.getMessage());
    }

    @Test
    void load_rgbaImageWithConvertChannels_loadsAsThreeChannels() throws IOException {
        goodFolder();
        png(root.resolve("dog/alpha.png"), BufferedImage.TYPE_4BYTE_ABGR, 8, 90);
        ImageFolderDataset.Result r =
                ImageFolderDataset.builder(root)
                        .size(8, 8)
                        .convertChannels(true)
                        .validationFraction(0)
                        .build()
                        .load();
        assertArrayEquals(new long[] {11, 3, 8, 8}, r.train().getFeatures().shape());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("file names with spaces, unicode and quotes load")
    void load_fileNamesWithSpacesAndUnicode_loaded() throws IOException {
        png(root.resolve("chat noir/été à Zürich 猫.png"), BufferedImage.TYPE_3BYTE_BGR, 9, 50);
        png(root.resolve("Hund/ein bild.png"), BufferedImage.TYPE_3BYTE_BGR, 9, 70);
        png(root.resolve("Hund/it's a \"Bild\" (2).png"), BufferedImage.TYPE_3BYTE_BGR, 9, 70);
        ImageFolderDataset.Result r =
                ImageFolderDataset.builder(root).size(9, 9).validationFraction(0).build().load();
        assertEquals(List.of("Hund", "chat noir"), r.classNames());
        assertEquals(3, r.report().loaded(), r.report().toString());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("a file where the image folder is expected")
    void load_rootIsAFile_throwsSayingSo() throws IOException {
        Path file = Files.write(root.resolve("images.zip"), new byte[] {1});
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ImageFolderDataset.builder(file).size(8, 8).build().load());
        assertTrue(e.getMessage().endsWith(file.toAbsolutePath() + " is a file"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("image size not set")
    void build_sizeNotSet_throwsNamingValues() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ImageFolderDataset.builder(root).channels(3).build());
        assertEquals(
                "size(height, width) must be set to values of at least 1; got height=0,"
                        + " width=0",
                e.getMessage());
    }
}
