package org.tl4j.core.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves and loads DL4J model files (ModelSerializer zips) safely.
 *
 * <p>Saves are atomic (see {@link AtomicFiles}). Loads check the file before DL4J reads it: it must
 * be a readable zip whose entries are only the ones DL4J writes as plain data (JSON configuration,
 * ND4J binary parameters and updater state, a normaliser). A model zip with a {@code
 * preprocessor.bin} entry is rejected, because DL4J would read that entry with Java
 * deserialisation, which can run code from the file. Every entry's CRC-32 is verified, and the
 * sizes claimed by the headers of the parameter and updater arrays are checked against the bytes
 * that follow before DL4J allocates them (see {@link Nd4jArrays}).
 *
 * <p>Limitations: Keras HDF5 files are not read (tl4j has no HDF5 reader); one is recognised by its
 * signature and refused with a message saying so.
 */
public final class ModelFiles {

    /** Entries DL4J's ModelSerializer writes as data, never as Java-serialised objects. */
    private static final Set<String> SAFE_ENTRIES =
            Set.of(
                    "configuration.json",
                    "coefficients.bin",
                    "updaterState.bin",
                    "normalizer.bin",
                    "noParams.marker");

    /** Entries holding one ND4J array whose header sizes are checked before loading. */
    private static final Set<String> ARRAY_ENTRIES = Set.of("coefficients.bin", "updaterState.bin");

    /** The first bytes of every HDF5 file (Keras {@code .h5} models). */
    private static final byte[] HDF5_SIGNATURE = {
        (byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'
    };

    private ModelFiles() {}

    /** Atomically saves a graph with its updater state (so that training can resume). */
    public static void save(ComputationGraph graph, Path file) throws IOException {
        AtomicFiles.writePath(file, tmp -> ModelSerializer.writeModel(graph, tmp.toFile(), true));
    }

    /**
     * Loads a graph saved by {@link #save} or by DL4J's ModelSerializer.
     *
     * @throws IOException if the file is missing, a directory, empty, an HDF5 file, not a zip,
     *     truncated or damaged, holds entries that are not plain model data, or an array header
     *     claims more data than the entry holds; the message names the file and the problem
     */
    public static ComputationGraph load(Path file) throws IOException {
        checkModelZip(file);
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), true);
        } catch (RuntimeException e) {
            throw new IOException("cannot read DL4J model " + file + ": " + e.getMessage(), e);
        }
    }

    /** Checks that a file looks like a DL4J model zip holding only plain data entries. */
    public static void checkModelZip(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("model file not found: " + file.toAbsolutePath());
        }
        if (Files.isDirectory(file)) {
            throw new IOException("expected a model file but found a directory: " + file);
        }
        if (Files.size(file) == 0) {
            throw new IOException("model file is empty (0 bytes): " + file);
        }
        if (startsWith(file, HDF5_SIGNATURE)) {
            throw new IOException(
                    file
                            + " is an HDF5 file (a Keras model?), not a DL4J model zip; import it"
                            + " with DL4J's KerasModelImport and save it with ModelFiles.save");
        }
        List<String> unsafe = new ArrayList<>();
        boolean hasConfig = false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                hasConfig |= name.equals("configuration.json");
                if (!SAFE_ENTRIES.contains(name)) {
                    unsafe.add(name);
                }
            }
            if (unsafe.isEmpty()) {
                checkEntries(zip, file);
            }
        } catch (ZipException e) {
            throw new IOException(
                    "not a DL4J model zip (corrupt or truncated): "
                            + file
                            + " ("
                            + e.getMessage()
                            + ")",
                    e);
        }
        if (!unsafe.isEmpty()) {
            throw new IOException(
                    "refusing to load "
                            + file
                            + ": entries "
                            + unsafe
                            + " are not plain model data (allowed: "
                            + SAFE_ENTRIES
                            + ")");
        }
        if (!hasConfig) {
            throw new IOException(
                    "not a DL4J model zip: " + file + " has no configuration.json entry");
        }
    }

    /**
     * Reads every entry once: checks the array headers of the parameter and updater entries before
     * DL4J allocates them, and each entry's CRC-32 (Java's ZipFile does not), so that damaged bytes
     * are not loaded as parameters.
     */
    private static void checkEntries(ZipFile zip, Path file) throws IOException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            String source = file + " entry " + entry.getName();
            CRC32 crc = new CRC32();
            try (InputStream in =
                    new CheckedInputStream(
                            new BufferedInputStream(zip.getInputStream(entry)), crc)) {
                if (ARRAY_ENTRIES.contains(entry.getName())) {
                    Nd4jArrays.checkSizes(in, source);
                }
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                throw new IOException(
                        source
                                + " is corrupt: its CRC-32 is "
                                + Long.toHexString(crc.getValue())
                                + " but the zip records "
                                + Long.toHexString(entry.getCrc()));
            }
        }
    }

    private static boolean startsWith(Path file, byte[] prefix) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(prefix.length), prefix);
        }
    }
}
