package org.tl4j.vision.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file in an image folder that was not loaded, and why.
 *
 * @param file the file as found under the root folder
 * @param reason a short human-readable reason, e.g. {@code "empty file (0 bytes)"}
 */
public record SkippedImage(Path file, String reason) {

    /** Checks that both fields are present. */
    public SkippedImage {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }
}
