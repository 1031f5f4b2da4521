package org.tl4j.vision.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@link ImageFolderDataset} load did: images loaded per class, and every file it skipped
 * with the reason (corrupt, unreadable, empty, or not an image file).
 *
 * @param loadedPerClass number of images loaded for each class name, in label order
 * @param skipped the files that were not loaded
 */
public record ImageLoadReport(Map<String, Integer> loadedPerClass, List<SkippedImage> skipped) {

    /** Copies both collections so that the report cannot change afterwards. */
    public ImageLoadReport {
        loadedPerClass = Collections.unmodifiableMap(new LinkedHashMap<>(loadedPerClass));
        skipped = List.copyOf(skipped);
    }

    /** Total number of images loaded. */
    public int loaded() {
        return loadedPerClass.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public String toString() {
        return "loaded "
                + loaded()
                + " images "
                + loadedPerClass
                + ", skipped "
                + skipped.size()
                + (skipped.isEmpty() ? "" : ": " + skipped);
    }
}
