package org.tl4j.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
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
 * deserialisation, which can run code from the file.
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

    private ModelFiles() {}

    /** Atomically saves a graph with its updater state (so that training can resume). */
    public static void save(ComputationGraph graph, Path file) throws IOException {
        AtomicFiles.writePath(file, tmp -> ModelSerializer.writeModel(graph, tmp.toFile(), true));
    }

    /**
     * Loads a graph saved by {@link #save} or by DL4J's ModelSerializer.
     *
     * @throws IOException if the file is missing, a directory, not a zip, truncated, or holds
     *     entries that are not plain model data; the message names the file and the problem
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
        List<String> unsafe = new ArrayList<>();
        boolean hasConfig = false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                hasConfig |= name.equals("configuration.json");
                if (!SAFE_ENTRIES.contains(name)) {
                    unsafe.add(name);
                }
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
}
