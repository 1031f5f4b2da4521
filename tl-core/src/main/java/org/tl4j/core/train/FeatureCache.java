package org.tl4j.core.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.core.io.AtomicFiles;
import org.tl4j.core.io.Nd4jArrays;

/**
 * Computes the output of a frozen feature vertex once per example, and optionally keeps it on disk
 * so that later runs (other label budgets, other head settings) reuse it.
 *
 * <p>A cache entry's key is a SHA-256 digest of the frozen parameters, the feature vertex's name
 * and every input and label array, so a changed model or data set can never be served stale
 * features. Entries are written atomically, so processes may share a cache directory. An entry that
 * cannot be read (damaged, or with array headers claiming more data than the file holds, checked
 * before anything is allocated) is logged, ignored and computed again.
 */
public final class FeatureCache {

    private static final Logger log = LoggerFactory.getLogger(FeatureCache.class);
    private static final int BATCH = 64;

    /** More arrays per kind than any graph has inputs or outputs: the entry is damaged. */
    private static final int MAX_ARRAYS = 1024;

    private final Optional<Path> directory;

    private FeatureCache(Optional<Path> directory) {
        this.directory = directory;
    }

    /** Computes features for each call and keeps nothing. */
    public static FeatureCache inMemory() {
        return new FeatureCache(Optional.empty());
    }

    /** Keeps features under {@code directory} (created if missing) for later runs. */
    public static FeatureCache onDisk(Path directory) {
        return new FeatureCache(Optional.of(directory));
    }

    /**
     * The features of {@code data} at {@code vertex}, with the original labels.
     *
     * @param graph a graph whose part up to {@code vertex} is frozen
     */
    public MultiDataSet featurize(ComputationGraph graph, String vertex, MultiDataSet data) {
        if (directory.isEmpty()) {
            return compute(graph, vertex, data);
        }
        Path file = directory.get().resolve(key(graph, vertex, data) + ".features");
        if (Files.isRegularFile(file)) {
            try {
                return read(file);
            } catch (IOException | RuntimeException e) {
                log.warn("Ignoring unreadable feature cache entry {}: {}", file, e.toString());
            }
        }
        MultiDataSet features = compute(graph, vertex, data);
        try {
            AtomicFiles.write(file, features::save);
        } catch (IOException e) {
            log.warn("Could not write feature cache entry {}: {}", file, e.toString());
        }
        return features;
    }

    /** Reads a cache entry, its array headers checked first. */
    static MultiDataSet read(Path file) throws IOException {
        checkSizes(file);
        org.nd4j.linalg.dataset.MultiDataSet features = new org.nd4j.linalg.dataset.MultiDataSet();
        try (InputStream in = Files.newInputStream(file)) {
            features.load(in);
        }
        log.debug("Feature cache hit {}", file);
        return features;
    }

    /**
     * Checks an entry's array headers before ND4J allocates what they claim. An entry is ND4J's
     * MultiDataSet format: four array counts (features, labels and their masks), then the arrays.
     */
    private static void checkSizes(Path file) throws IOException {
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            long arrays = 0;
            for (int i = 0; i < 4; i++) {
                int count = in.readInt();
                if (count < 0 || count > MAX_ARRAYS) {
                    throw new IOException(
                            "feature cache entry " + file + " claims " + count + " arrays");
                }
                arrays += count;
            }
            for (int i = 0; i < arrays; i++) {
                Nd4jArrays.checkSizes(in, "feature cache entry " + file + " array " + i);
            }
        }
    }

    private static MultiDataSet compute(ComputationGraph graph, String vertex, MultiDataSet data) {
        List<MultiDataSet> parts = new ArrayList<>();
        for (MultiDataSet batch : Batches.ordered(data, BATCH)) {
            graph.setLayerMaskArrays(batch.getFeaturesMaskArrays(), null);
            Map<String, INDArray> activations = graph.feedForward(batch.getFeatures(), false);
            graph.clearLayerMaskArrays();
            INDArray features = activations.get(vertex).detach();
            parts.add(
                    new org.nd4j.linalg.dataset.MultiDataSet(
                            new INDArray[] {features}, batch.getLabels()));
        }
        return Batches.concat(parts);
    }

    private static String key(ComputationGraph graph, String vertex, MultiDataSet data) {
        MessageDigest digest = sha256();
        digest.update(vertex.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String name : FrozenParameters.frozenLayerNames(graph)) {
            digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            update(digest, graph.getLayer(name).params());
        }
        for (INDArray a : data.getFeatures()) {
            update(digest, a);
        }
        for (INDArray a : data.getLabels()) {
            update(digest, a);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, INDArray array) {
        if (array == null || array.isEmpty()) {
            return;
        }
        digest.update(java.util.Arrays.toString(array.shape()).getBytes());
        INDArray c = array.dup('c');
        ByteBuffer bytes = c.data().asNio();
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("SHA-256 is not available", e));
        }
    }
}
