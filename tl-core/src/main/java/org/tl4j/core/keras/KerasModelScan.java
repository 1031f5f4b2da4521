package org.tl4j.core.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pre-scan of a Keras 2 HDF5 model: reads only its {@code model_config} (no weights) and lists
 * every layer that tl4j cannot import, all at once, with layer names and reasons: classes without
 * an importer in the {@link KerasLayerRegistry}, and settings that a registered importer rejects.
 *
 * <pre>{@code
 * KerasModelScan scan = KerasModelScan.scan(Path.of("encoder.h5"));
 * scan.problems().forEach(System.out::println);   // 'gate' (MyGatedUnit): no importer ...
 * }</pre>
 */
public final class KerasModelScan {

    private final Path file;
    private final KerasModelConfig model;
    private final List<KerasLayerProblem> problems;
    private final List<String> supported;

    private KerasModelScan(
            Path file,
            KerasModelConfig model,
            List<KerasLayerProblem> problems,
            List<String> supported) {
        this.file = file;
        this.model = model;
        this.problems = List.copyOf(problems);
        this.supported = List.copyOf(supported);
    }

    /** Scans {@code file} against {@link KerasLayerRegistry#defaults()}. */
    public static KerasModelScan scan(Path file) {
        return scan(file, KerasLayerRegistry.defaults());
    }

    /**
     * Scans {@code file} against {@code registry}.
     *
     * @throws IllegalArgumentException when the file is not a Keras 2 HDF5 model (the message names
     *     the supported formats)
     * @throws UnsupportedOperationException for Keras 3 files and non-functional models
     */
    public static KerasModelScan scan(Path file, KerasLayerRegistry registry) {
        try (KerasFile f = KerasFile.open(file)) {
            return scan(file, KerasModelConfig.read(f), registry);
        }
    }

    static KerasModelScan scan(Path file, KerasModelConfig model, KerasLayerRegistry registry) {
        List<KerasLayerProblem> problems = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> masks = maskInputs(model);
        for (KerasLayerConfig layer : model.layers()) {
            names.add(layer.name());
            for (String reason : layerProblems(layer, registry, masks)) {
                problems.add(new KerasLayerProblem(layer.name(), layer.className(), reason));
            }
        }
        for (KerasLayerConfig layer : model.layers()) {
            Set<String> refs = new LinkedHashSet<>(layer.inputs());
            refs.addAll(layer.tensorArguments().values());
            refs.removeAll(names);
            if (!refs.isEmpty()) {
                problems.add(
                        new KerasLayerProblem(
                                layer.name(),
                                layer.className(),
                                "its inputs " + refs + " are not layers of the model"));
            }
        }
        return new KerasModelScan(file, model, problems, registry.supportedClasses());
    }

    /**
     * @return every problem found, in file order; empty when the model can be imported
     */
    public List<KerasLayerProblem> problems() {
        return problems;
    }

    /**
     * @return the Keras classes without an importer, each with the names of its layers
     */
    public Map<String, List<String>> unsupportedClasses() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (KerasLayerConfig layer : model.layers()) {
            if (!supported.contains(layer.className())) {
                out.computeIfAbsent(layer.className(), k -> new ArrayList<>()).add(layer.name());
            }
        }
        return out;
    }

    /**
     * @return the layers of the model, in file order
     */
    public List<KerasLayerConfig> layers() {
        return model.layers();
    }

    /**
     * @return the {@code keras_version} attribute of the file, or {@code "unknown"}
     */
    public String kerasVersion() {
        return model.kerasVersion();
    }

    /**
     * @throws UnsupportedKerasModelException listing every problem, when there is one
     */
    public void requireImportable() {
        if (!problems.isEmpty()) {
            throw new UnsupportedKerasModelException(file, problems, supported);
        }
    }

    KerasModelConfig model() {
        return model;
    }

    /** Model inputs fed to some layer's {@code attention_mask}. */
    static Set<String> maskInputs(KerasModelConfig model) {
        Set<String> masks = new LinkedHashSet<>();
        for (KerasLayerConfig layer : model.layers()) {
            String m = layer.tensorArguments().get("attention_mask");
            if (m != null) {
                masks.add(m);
            }
        }
        return masks;
    }

    private static List<String> layerProblems(
            KerasLayerConfig layer, KerasLayerRegistry registry, Set<String> masks) {
        if (KerasLayerRegistry.INPUT_LAYER.equals(layer.className())) {
            return inputProblems(layer, masks.contains(layer.name()));
        }
        return registry.importer(layer.className())
                .map(i -> i.check(layer))
                .orElse(List.of("no importer for Keras class " + layer.className()));
    }

    private static List<String> inputProblems(KerasLayerConfig layer, boolean mask) {
        JsonNode shape = layer.field("batch_input_shape").orElse(null);
        if (shape == null || !shape.isArray()) {
            return List.of("config has no batch_input_shape");
        }
        int rank = shape.size() - 1;
        JsonNode last = shape.get(shape.size() - 1);
        if (mask) {
            boolean keyMask = rank == 1 || (rank == 2 && shape.get(1).asInt(-1) == 1);
            return keyMask
                    ? List.of()
                    : List.of(
                            "attention masks must have shape [1, time] (a key padding mask), got "
                                    + shape);
        }
        if (rank < 1 || rank > 3) {
            return List.of(
                    "inputs must be vectors [features], sequences [time, features] or images"
                            + " [height, width, channels], got shape "
                            + shape);
        }
        if (rank == 3 && !(shape.get(1).isInt() && shape.get(2).isInt())) {
            return List.of("image inputs need a known height and width, got shape " + shape);
        }
        if (!last.isInt()) {
            return List.of("the feature size (last axis) must be known, got shape " + shape);
        }
        return List.of();
    }
}
