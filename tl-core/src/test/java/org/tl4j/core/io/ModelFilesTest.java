package org.tl4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tl4j.core.testing.CraftedFiles.arrayBytes;
import static org.tl4j.core.testing.CraftedFiles.claiming;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.testing.TinyNetworks;

@Timeout(60)
class ModelFilesTest {

    @TempDir Path dir;

    @Test
    void saveThenLoad_adaptedModel_givesIdenticalOutputs() throws IOException {
        AdaptedModel model =
                FineTuning.defaults().adapt(TinyNetworks.pretrained(1, true), HeadConfig.of(4), 2);
        Path file = dir.resolve("model with spaces ü.zip");
        ModelFiles.save(model.graph(), file);
        ComputationGraph loaded = ModelFiles.load(file);
        INDArray input = TinyNetworks.images(7, 3, 3).getFeatures();
        assertEquals(model.graph().outputSingle(input), loaded.outputSingle(input));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
    }

    @Test
    void save_onPosix_leavesAFileOthersCanRead() throws IOException {
        Path file = dir.resolve("shared.zip");
        ModelFiles.save(TinyNetworks.cnn(1, false), file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals(
                    "rw-r--r--",
                    java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void save_overExistingFile_replacesItWhole() throws IOException {
        Path file = dir.resolve("m.zip");
        ModelFiles.save(TinyNetworks.cnn(1, false), file);
        ComputationGraph second = TinyNetworks.cnn(2, false);
        ModelFiles.save(second, file);
        assertEquals(second.params(), ModelFiles.load(file).params());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("truncated model zip")
    void load_truncatedZip_namesTheFile() throws IOException {
        Path good = dir.resolve("good.zip");
        ModelFiles.save(TinyNetworks.cnn(1, false), good);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.zip");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(truncated));
        assertTrue(e.getMessage().contains("truncated.zip"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("zero-byte model file")
    void load_zeroByteFile_saysEmpty() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.zip"));
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(empty));
        assertTrue(e.getMessage().contains("empty (0 bytes)"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("directory where a model file is expected")
    void load_directory_saysDirectory() {
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("found a directory"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("model zip with a Java-serialised entry")
    void load_javaSerialisedEntry_isRefusedBeforeDeserialising() throws IOException {
        Path file = dir.resolve("evil.zip");
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("configuration.json"));
            zip.write("{}".getBytes());
            zip.putNextEntry(new ZipEntry("preprocessor.bin"));
            zip.write(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5});
        }
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("[preprocessor.bin]"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("text file given as a model zip")
    void load_notAZip_saysSo() throws IOException {
        Path file = Files.writeString(dir.resolve("model.zip"), "this is not a zip");
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("not a DL4J model zip"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("corrupt model zip: configuration.json is not JSON")
    void load_configurationNotJson_namesTheFile() throws IOException {
        Path file = dir.resolve("broken-config.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("configuration.json"));
            zip.write("{\"vertices\": [1, 2".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("coefficients.bin"));
            zip.write(arrayBytes(Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)));
        }
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(
                e.getMessage().startsWith("cannot read DL4J model " + file + ":"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("corrupt model zip: damaged bytes inside the parameters")
    void load_damagedParameterBytes_failsOnTheChecksum() throws IOException {
        Path file = dir.resolve("damaged.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.setLevel(0);
            zip.putNextEntry(new ZipEntry("configuration.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("coefficients.bin"));
            zip.write(arrayBytes(Nd4j.linspace(1, 64, 64).castTo(DataType.FLOAT)));
        }
        byte[] bytes = Files.readAllBytes(file);
        int values = indexOf(bytes, "FLOAT".getBytes(StandardCharsets.US_ASCII)) + 5;
        bytes[values + 100] ^= 0x40;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(
                e.getMessage().startsWith(file + " entry coefficients.bin is corrupt: its CRC-32"),
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("model zip whose parameter header claims 2^40 values")
    void load_parameterHeaderClaimingHugeSize_failsBeforeAllocating() throws IOException {
        Path file = dir.resolve("huge.zip");
        byte[] array =
                claiming(arrayBytes(Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)), 1L << 40);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("configuration.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("coefficients.bin"));
            zip.write(array);
        }
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertEquals(
                file
                        + " entry coefficients.bin: value buffer claims 1099511627776 FLOAT values"
                        + " (4398046511104 bytes) but only 24 bytes follow (truncated or crafted"
                        + " file)",
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("Keras HDF5 file (truncated .h5) given as a model")
    void load_hdf5File_saysItIsHdf5() throws IOException {
        byte[] signature = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0, 0};
        Path file = Files.write(dir.resolve("model.h5"), signature);
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(
                e.getMessage().startsWith(file + " is an HDF5 file (a Keras model?)"),
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("file name with spaces, unicode and quotes loads")
    void saveThenLoad_unusualFileName_works() throws IOException {
        ComputationGraph graph = TinyNetworks.cnn(3, false);
        Path file = dir.resolve("it's a \"model\" — été 模型 (1).zip");
        ModelFiles.save(graph, file);
        assertEquals(graph.params(), ModelFiles.load(file).params());
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(bytes, i, i + part.length), part)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
