package org.tl4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
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
    void load_zeroByteFile_saysEmpty() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.zip"));
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(empty));
        assertTrue(e.getMessage().contains("empty (0 bytes)"), e.getMessage());
    }

    @Test
    void load_directory_saysDirectory() {
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("found a directory"), e.getMessage());
    }

    @Test
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
    void load_notAZip_saysSo() throws IOException {
        Path file = Files.writeString(dir.resolve("model.zip"), "this is not a zip");
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("not a DL4J model zip"), e.getMessage());
    }
}
