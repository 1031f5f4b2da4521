package org.tl4j.vision.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdxReaderTest {

    @TempDir Path dir;

    /** A rank-3 unsigned-byte IDX file of 2 images of 2x3 pixels, values 0..11 and 250. */
    static byte[] tinyIdx() {
        ByteBuffer b = ByteBuffer.allocate(4 + 12 + 12);
        b.put(new byte[] {0, 0, 8, 3}).putInt(2).putInt(2).putInt(3);
        for (int i = 0; i < 11; i++) {
            b.put((byte) i);
        }
        b.put((byte) 250);
        return b.array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void read_plainFile_returnsDimensionsAndUnsignedValues() throws IOException {
        Path file = Files.write(dir.resolve("tiny-idx3-ubyte"), tinyIdx());
        IdxData data = IdxReader.read(file);
        assertArrayEquals(new int[] {2, 2, 3}, data.dimensions());
        assertEquals(2, data.count());
        assertEquals(6, data.itemSize());
        assertEquals(5, data.unsigned(5));
        assertEquals(250, data.unsigned(11));
    }

    @Test
    void read_gzippedFile_sameAsPlain() throws IOException {
        Path file = Files.write(dir.resolve("tiny.gz"), gzip(tinyIdx()));
        IdxData data = IdxReader.read(file);
        assertArrayEquals(new int[] {2, 2, 3}, data.dimensions());
        assertEquals(250, data.unsigned(11));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "wrong magic        | 0102080100000001ff | wrong magic number: first two bytes are"
                        + " 0x0102",
                "wrong type         | 00000d0100000001ff | data type 0x0d; only 0x08",
                "rank zero          | 0000080000         | rank 0; expected 1..4",
                "truncated header   | 00000803000000     | truncated in its header: rank 3 needs"
                        + " 16",
                "sizes beyond file  | 000008017fffffff00 | need 2147483647 data bytes, but only 1"
                        + " follow",
                "truncated data     | 00000801000000050102 | need 5 data bytes, but only 2 follow",
                "trailing bytes     | 0000080100000001ffee | 1 bytes after the data",
                "too short          | 0000              | too short for a header: 2 bytes",
            })
    @Tag("bad-input")
    void read_badHeader_throwsNamingFileAndValue(String name, String hex, String expected)
            throws IOException {
        Path file = Files.write(dir.resolve("bad-" + name.replace(' ', '-')), hex(hex.trim()));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains(expected.trim()), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("IDX header claiming 60000 x 28000 x 28000 bytes")
    void read_hugeDimensionsInHeader_failsBeforeAllocating() throws IOException {
        byte[] header =
                ByteBuffer.allocate(16)
                        .put(new byte[] {0, 0, 8, 3})
                        .putInt(60000)
                        .putInt(28000)
                        .putInt(28000)
                        .array();
        Path file = Files.write(dir.resolve("huge"), header);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains("only 0 follow the header"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("truncated gzipped IDX file")
    void read_corruptGzip_throwsNamingFile() throws IOException {
        byte[] gz = gzip(tinyIdx());
        Path file = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(file));
        assertTrue(
                e.getMessage().contains("cut.gz is gzipped but cannot be decompressed"),
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("missing IDX file")
    void read_missingFile_throwsWithPath() {
        Path file = dir.resolve("nope-idx3-ubyte.gz");
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains("nope-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("zero-byte IDX file")
    void read_zeroByteFile_saysTooShort() throws IOException {
        Path file = Files.write(dir.resolve("empty-idx3-ubyte"), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains("too short for a header: 0 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("directory where an IDX file is expected")
    void read_directory_saysNotARegularFile() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("train-images-idx3-ubyte"));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(folder));
        assertEquals(
                "IDX file not found (or not a regular file): " + folder.toAbsolutePath(),
                e.getMessage());
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
