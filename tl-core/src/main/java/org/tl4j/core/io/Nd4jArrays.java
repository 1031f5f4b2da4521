package org.tl4j.core.io;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads ND4J's binary array format ({@code Nd4j.write}) from files that may be damaged or crafted.
 *
 * <p>An array is stored as one or two buffers (shape information, then the values when the array is
 * not empty), each with a header of allocation mode, element count and data type. ND4J allocates
 * what a header claims before reading the values, so a header claiming a huge count makes it try to
 * allocate that much. {@link #checkSizes} walks the headers first and checks that every claimed
 * buffer fits into the bytes that actually follow; only then is the array read.
 */
public final class Nd4jArrays {

    /** ND4J's largest rank; a shape buffer holds {@code 2 * rank + 4} values. */
    private static final long MAX_SHAPE_INFO = 2L * 32 + 4;

    private Nd4jArrays() {}

    /**
     * Reads one array from bytes, after {@link #checkSizes checking its headers}.
     *
     * @param bytes the array as {@code Nd4j.write} wrote it
     * @param source what the bytes are, for messages (a file and entry name)
     * @throws IOException if a header is unreadable or claims more data than follows
     */
    public static INDArray read(byte[] bytes, String source) throws IOException {
        checkSizes(new ByteArrayInputStream(bytes), source);
        try {
            return Nd4j.read(new ByteArrayInputStream(bytes));
        } catch (RuntimeException e) {
            throw new IOException(source + ": not a readable ND4J array: " + e.getMessage(), e);
        }
    }

    /**
     * Checks the headers of one array in ND4J's binary format without allocating it: the stream is
     * read to the array's end (values are skipped, not kept).
     *
     * @param in the array's bytes; read, not closed
     * @param source what is read, for messages
     * @throws IOException naming the source, the buffer and the size it claims, if a header is
     *     unreadable, claims a negative or impossible size, or claims more values than follow
     */
    public static void checkSizes(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(in);
        Header shape = header(data, source, "shape buffer");
        if (shape == null) {
            throw new IOException(source + ": not an ND4J array (no data)");
        }
        if (shape.length() > MAX_SHAPE_INFO) {
            throw new IOException(
                    source
                            + ": shape buffer claims "
                            + shape.length()
                            + " values; an ND4J shape has at most "
                            + MAX_SHAPE_INFO);
        }
        skip(data, shape, source, "shape buffer");
        Header values = header(data, source, "value buffer");
        if (values != null) {
            skip(data, values, source, "value buffer");
        }
    }

    private record Header(long length, DataType type, long bytes) {}

    /** Reads a buffer header; null at a clean end of stream (an empty array has no values). */
    private static Header header(DataInputStream data, String source, String what)
            throws IOException {
        String mode;
        try {
            mode = data.readUTF();
        } catch (EOFException e) {
            return null;
        }
        DataBuffer.AllocationMode allocation = enumValue(DataBuffer.AllocationMode.class, mode);
        if (allocation == null) {
            throw new IOException(
                    source + ": " + what + " has unknown allocation mode '" + shorten(mode) + "'");
        }
        long length;
        String typeName;
        try {
            // ND4J's three oldest modes store the count as an int, later ones as a long.
            length = allocation.ordinal() < 3 ? data.readInt() : data.readLong();
            typeName = data.readUTF();
        } catch (EOFException e) {
            throw new IOException(source + ": " + what + " header is truncated", e);
        }
        DataType type = enumValue(DataType.class, typeName);
        if (type == null || type.width() <= 0) {
            throw new IOException(
                    source
                            + ": "
                            + what
                            + " has unsupported data type '"
                            + shorten(typeName)
                            + "'");
        }
        if (length < 0 || length > Long.MAX_VALUE / type.width()) {
            throw new IOException(
                    source + ": " + what + " claims an impossible length of " + length + " values");
        }
        return new Header(length, type, length * type.width());
    }

    private static void skip(DataInputStream data, Header h, String source, String what)
            throws IOException {
        long left = h.bytes();
        while (left > 0) {
            long skipped = data.skip(left);
            if (skipped <= 0) {
                if (data.read() < 0) {
                    throw new IOException(
                            source
                                    + ": "
                                    + what
                                    + " claims "
                                    + h.length()
                                    + " "
                                    + h.type()
                                    + " values ("
                                    + h.bytes()
                                    + " bytes) but only "
                                    + (h.bytes() - left)
                                    + " bytes follow (truncated or crafted file)");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
