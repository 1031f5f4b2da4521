package org.tl4j.vision.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.loader.NativeImageLoader;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decodes one image file for {@link ImageFolderDataset}: reads the bytes in Java (so any file name,
 * with spaces or non-ASCII characters, works), decodes them with OpenCV unchanged to see the stored
 * channel count, checks it, then resizes through DataVec's {@link NativeImageLoader}.
 */
final class ImageDecoder {

    /** Either a decoded image {@code [1, c, h, w]} or the reason the file was skipped. */
    record Outcome(Optional<INDArray> image, String skipReason) {
        static Outcome skipped(String reason) {
            return new Outcome(Optional.empty(), reason);
        }
    }

    private ImageDecoder() {}

    static Outcome decode(Path file, NativeImageLoader loader, int channels, boolean convert) {
        if (!ImageFolderDataset.IMAGE_EXTENSIONS.contains(ImageFolderDataset.extension(file))) {
            return Outcome.skipped(
                    "not an image file extension (accepted: "
                            + ImageFolderDataset.IMAGE_EXTENSIONS
                            + ")");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Outcome.skipped("unreadable: " + e.getMessage());
        }
        if (bytes.length == 0) {
            return Outcome.skipped("empty file (0 bytes)");
        }
        try (BytePointer data = new BytePointer(bytes);
                Mat encoded = new Mat(1, bytes.length, CV_8UC1, data);
                Mat image = imdecode(encoded, IMREAD_UNCHANGED)) {
            if (image == null || image.empty()) {
                return Outcome.skipped(
                        "corrupt or not an image (OpenCV could not decode "
                                + bytes.length
                                + " bytes)");
            }
            checkChannels(file, image.channels(), channels, convert);
            return new Outcome(Optional.of(loader.asMatrix(image)), null);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // OpenCV and DataVec report undecodable data in several ways; all mean "skip it"
            return Outcome.skipped("cannot decode: " + e.getMessage());
        }
    }

    private static void checkChannels(Path file, int found, int expected, boolean convert) {
        if (found != expected && !convert) {
            throw new IllegalArgumentException(
                    "image "
                            + file.toAbsolutePath()
                            + " has "
                            + found
                            + " channel(s) but "
                            + expected
                            + " were requested; set"
                            + " convertChannels(true) to convert it, or request channels("
                            + found
                            + ")");
        }
    }
}
