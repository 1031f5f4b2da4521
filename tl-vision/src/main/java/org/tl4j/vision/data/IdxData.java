package org.tl4j.vision.data;

import java.util.Arrays;

/**
 * The content of one IDX file of unsigned bytes (the MNIST family format): its dimensions and its
 * values in row-major order.
 *
 * <p>For an image file the dimensions are {@code [count, rows, columns]}; for a label file they are
 * {@code [count]}.
 */
public final class IdxData {

    private final String source;
    private final int[] dimensions;
    private final byte[] values;

    IdxData(String source, int[] dimensions, byte[] values) {
        this.source = source;
        this.dimensions = dimensions.clone();
        this.values = values;
    }

    /** Where the data was read from (a file path or a classpath resource name). */
    public String source() {
        return source;
    }

    /** The dimensions stored in the header; the first is the number of items. */
    public int[] dimensions() {
        return dimensions.clone();
    }

    /** The number of items (the first dimension). */
    public int count() {
        return dimensions[0];
    }

    /** The number of values per item (the product of all dimensions after the first). */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dimensions.length; i++) {
            size *= dimensions[i];
        }
        return size;
    }

    /** The value at a flat row-major index, as an unsigned number 0..255. */
    public int unsigned(int index) {
        return values[index] & 0xFF;
    }

    /** The number of values in the file (count times item size). */
    public int length() {
        return values.length;
    }

    @Override
    public String toString() {
        return "IdxData{" + source + ", dimensions=" + Arrays.toString(dimensions) + "}";
    }
}
