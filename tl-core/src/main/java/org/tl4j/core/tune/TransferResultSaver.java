package org.tl4j.core.tune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultReference;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultSaver;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.core.io.ModelFiles;

/**
 * An Arbiter {@link ResultSaver} that writes each candidate's trained graph atomically with {@link
 * ModelFiles#save} as {@code candidate-NNN.zip} in a folder.
 */
public final class TransferResultSaver implements ResultSaver {

    private final Path directory;

    /** Saves into {@code directory}, created when the first model is saved. */
    public TransferResultSaver(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The file a candidate's model is saved to. */
    public Path fileFor(int candidateIndex) {
        return directory.resolve(String.format(Locale.ROOT, "candidate-%03d.zip", candidateIndex));
    }

    @Override
    public ResultReference saveModel(OptimizationResult result, Object model) throws IOException {
        if (!(model instanceof ComputationGraph graph)) {
            throw new IllegalArgumentException(
                    "TransferResultSaver saves a ComputationGraph,"
                            + " got "
                            + (model == null ? "null" : model.getClass().getName()));
        }
        Path file = fileFor(result.getIndex());
        ModelFiles.save(graph, file);
        return new Saved(result, file);
    }

    @Override
    public List<Class<?>> getSupportedCandidateTypes() {
        return List.of(CandidateSettings.class);
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(ComputationGraph.class);
    }

    /**
     * A saved candidate: its Arbiter result and the model file, loaded again on request.
     *
     * @param result the candidate's Arbiter result
     * @param file the saved model
     */
    public record Saved(OptimizationResult result, Path file) implements ResultReference {

        @Override
        public OptimizationResult getResult() {
            return result;
        }

        @Override
        public ComputationGraph getResultModel() throws IOException {
            return ModelFiles.load(file);
        }
    }
}
