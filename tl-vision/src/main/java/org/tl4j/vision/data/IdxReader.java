package org.tl4j.vision.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST, gzipped or plain.
 *
 * <p>An IDX file starts with two zero bytes, a type byte ({@code 0x08} for unsigned bytes, the only
 * type this reader accepts), a rank byte, then one big-endian 32-bit size per dimension, then the
 * values. The header is checked before any array of its declared size is made: a header whose sizes
 * do not match the bytes that follow is rejected with a message naming the source and the value
 * seen, so a corrupt file cannot make the reader allocate gigabytes.
 *
 * <p>Gzip is recognised by its magic number, not by the file name.
 */
public final class IdxReader {

    /** The type code of unsigned-byte data, the only one MNIST-family files use. */
    public static final int TYPE_UNSIGNED_BYTE = 0x08;

    /** Largest rank accepted; MNIST-family files have rank 1 (labels) or 3 (images). */
    public static final int MAX_RANK = 4;

    private IdxReader() {}

    /**
     * Reads an IDX file from disk.
     *
     * @throws IOException if the file cannot be read or is not a valid unsigned-byte IDX file; the
     *     message names the file and the problem
     */
    public static IdxData read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "IDX file not found (or not a regular file): " + file.toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads IDX data from a stream (gzipped or plain); the stream is not closed.
     *
     * @param source a name for the data used in error messages, e.g. a resource path
     * @throws IOException if the stream is not a valid unsigned-byte IDX file
     */
    public static IdxData read(InputStream in, String source) throws IOException {
        byte[] bytes = readAll(in, source);
        return parse(bytes, source);
    }

    private static byte[] readAll(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new GZIPInputStream(buffered).readAllBytes();
            } catch (IOException e) {
                throw new IOException(
                        "IDX file "
                                + source
                                + " is gzipped but cannot be"
                                + " decompressed (corrupt or truncated): "
                                + e.getMessage(),
                        e);
            }
        }
        return buffered.readAllBytes();
    }

    private static IdxData parse(byte[] bytes, String source) throws IOException {
        if (bytes.length < 4) {
            throw new IOException(
                    "IDX file "
                            + source
                            + " is too short for a header: "
                            + bytes.length
                            + " bytes, need at least 4");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new IOException(
                    String.format(
                            "IDX file %s has a wrong magic number: first two"
                                    + " bytes are 0x%02x%02x, expected 0x0000 (is it an IDX file?)",
                            source, bytes[0] & 0xFF, bytes[1] & 0xFF));
        }
        int type = bytes[2] & 0xFF;
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new IOException(
                    String.format(
                            "IDX file %s has data type 0x%02x; only 0x%02x"
                                    + " (unsigned byte) is supported",
                            source, type, TYPE_UNSIGNED_BYTE));
        }
        int rank = bytes[3] & 0xFF;
        if (rank < 1 || rank > MAX_RANK) {
            throw new IOException(
                    "IDX file " + source + " has rank " + rank + "; expected 1.." + MAX_RANK);
        }
        int[] dims = readDimensions(bytes, rank, source);
        int headerSize = 4 + 4 * rank;
        long expected = checkSizes(dims, bytes.length - headerSize, source);
        byte[] values = new byte[(int) expected];
        System.arraycopy(bytes, headerSize, values, 0, values.length);
        return new IdxData(source, dims, values);
    }

    private static int[] readDimensions(byte[] bytes, int rank, String source) throws IOException {
        int headerSize = 4 + 4 * rank;
        if (bytes.length < headerSize) {
            throw new IOException(
                    "IDX file "
                            + source
                            + " is truncated in its header: rank "
                            + rank
                            + " needs "
                            + headerSize
                            + " header bytes, file has "
                            + bytes.length);
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            int p = 4 + 4 * i;
            long d =
                    ((bytes[p] & 0xFFL) << 24)
                            | ((bytes[p + 1] & 0xFF) << 16)
                            | ((bytes[p + 2] & 0xFF) << 8)
                            | (bytes[p + 3] & 0xFF);
            if (d > Integer.MAX_VALUE) {
                throw new IOException(
                        "IDX file "
                                + source
                                + " declares dimension "
                                + i
                                + " of size "
                                + d
                                + ", which is too large");
            }
            dims[i] = (int) d;
        }
        return dims;
    }

    private static long checkSizes(int[] dims, long available, String source) throws IOException {
        long expected = 1;
        for (int d : dims) {
            expected *= d;
            if (expected > Integer.MAX_VALUE) {
                break;
            }
        }
        if (expected > available) {
            throw new IOException(
                    "IDX file "
                            + source
                            + " is truncated or its header is wrong:"
                            + " dimensions "
                            + Arrays.toString(dims)
                            + " need "
                            + expected
                            + " data bytes, but only "
                            + available
                            + " follow the header");
        }
        if (expected < available) {
            throw new IOException(
                    "IDX file "
                            + source
                            + " has "
                            + (available - expected)
                            + " bytes after the data that dimensions "
                            + Arrays.toString(dims)
                            + " declare (expected "
                            + expected
                            + " data bytes, found "
                            + available
                            + ")");
        }
        return expected;
    }
}
