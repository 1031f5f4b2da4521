package org.tl4j.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.core.io.AtomicFiles;
import org.tl4j.core.io.Nd4jArrays;

/**
 * The state of a training run after an epoch, kept in one file so that a crashed run can resume
 * where it stopped with the result of an uninterrupted run.
 *
 * <p>The file is a zip written atomically: {@code state.json} (run identity, epoch, early-stopping
 * state, history), {@code params.bin}, {@code updater.bin} and {@code best.bin} (ND4J binary
 * arrays: current parameters, optimiser state, parameters of the best epoch). Nothing in it is
 * Java-serialised.
 */
final class Checkpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What identifies a run; a checkpoint of another run is never resumed. */
    record Identity(String run, long seed, int batchSize, long numParams) {}

    /** Early-stopping state and history after {@code epoch}. */
    record State(
            Identity identity,
            int epoch,
            int bestEpoch,
            double bestLoss,
            long iterations,
            boolean stopped,
            List<EpochResult> history) {}

    private Checkpoint() {}

    static Path file(Path directory, String run) {
        return directory.resolve(run.replaceAll("[^A-Za-z0-9._-]", "_") + ".checkpoint.zip");
    }

    static void save(Path file, State state, ComputationGraph graph, INDArray best)
            throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        entries.put("state.json", JSON.writeValueAsBytes(state));
        entries.put("params.bin", bytes(graph.params()));
        entries.put("updater.bin", bytes(graph.getUpdater(true).getStateViewArray()));
        entries.put("best.bin", bytes(best));
        AtomicFiles.write(
                file,
                out -> {
                    ZipOutputStream zip = new ZipOutputStream(out);
                    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                        zip.putNextEntry(new ZipEntry(e.getKey()));
                        zip.write(e.getValue());
                    }
                    zip.finish();
                });
    }

    private static byte[] bytes(INDArray array) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Nd4j.write(out, array == null ? Nd4j.empty() : array);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The loaded checkpoint: state plus arrays. */
    record Loaded(State state, INDArray params, INDArray updater, INDArray best) {}

    /**
     * Reads the checkpoint, if there is one.
     *
     * @throws IllegalStateException if it belongs to another run
     * @throws IOException if it cannot be read
     */
    static Optional<Loaded> load(Path file, Identity identity) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(file);
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        for (String name : List.of("state.json", "params.bin", "updater.bin", "best.bin")) {
            if (!entries.containsKey(name)) {
                throw new IOException("checkpoint " + file + " lacks " + name);
            }
        }
        State state = JSON.readValue(entries.get("state.json"), State.class);
        if (!state.identity().equals(identity)) {
            throw new IllegalStateException(
                    "checkpoint "
                            + file
                            + " belongs to another run: "
                            + state.identity()
                            + ", this run is "
                            + identity
                            + "; delete it or use another checkpoint directory");
        }
        return Optional.of(
                new Loaded(
                        state,
                        read(entries, "params.bin", file),
                        read(entries, "updater.bin", file),
                        read(entries, "best.bin", file)));
    }

    private static INDArray read(Map<String, byte[]> entries, String name, Path file)
            throws IOException {
        return Nd4jArrays.read(entries.get(name), "checkpoint " + file + " entry " + name);
    }
}
