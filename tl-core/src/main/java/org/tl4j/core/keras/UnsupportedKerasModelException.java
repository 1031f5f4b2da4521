package org.tl4j.core.keras;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Keras model holds layers (or layer settings) that tl4j cannot import; {@link #problems()} lists
 * all of them, found by one scan before any import work.
 */
public class UnsupportedKerasModelException extends UnsupportedOperationException {

    private static final long serialVersionUID = 1L;

    private final transient List<KerasLayerProblem> problems;

    /**
     * @param file the Keras file
     * @param problems every problem found, at least one
     * @param supported the Keras classes that tl4j imports, for the message
     */
    public UnsupportedKerasModelException(
            Path file, List<KerasLayerProblem> problems, List<String> supported) {
        super(message(file, problems, supported));
        this.problems = List.copyOf(problems);
    }

    /**
     * @return every problem found, in file order
     */
    public List<KerasLayerProblem> problems() {
        return problems;
    }

    private static String message(
            Path file, List<KerasLayerProblem> problems, List<String> supported) {
        return file
                + ": "
                + problems.size()
                + " layer(s) cannot be imported:\n  "
                + problems.stream().map(Object::toString).collect(Collectors.joining("\n  "))
                + "\nSupported Keras classes: "
                + String.join(", ", supported)
                + ". Register an importer for other classes with"
                + " KerasLayerRegistry.Builder.register.";
    }
}
