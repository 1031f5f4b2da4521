package org.tl4j.core.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.core.transformer.FlattenSequenceVertex;
import org.tl4j.core.transformer.SequenceMaskVertex;
import org.tl4j.core.transformer.UnflattenSequenceVertex;

/**
 * Imports a Keras 2 functional model saved as HDF5 into a DL4J {@link ComputationGraph} built from
 * tl4j's transformer blocks; see the package Javadoc for the supported layers and the layout.
 *
 * <pre>{@code
 * ImportedKerasModel m = KerasModelImporter.importModel(Path.of("encoder.h5"));
 * INDArray out = m.graph().output(x, mask)[0];          // x [b, t, f], mask [b, 1, t]
 * ComputationGraph lora = Lora.apply(m.graph(), LoraConfig.builder()
 *         .targets(".*\\.(query|value)").build());    // mha.query, mha.value
 * }</pre>
 *
 * <p>The file is scanned first ({@link KerasModelScan}): every unsupported layer is reported in one
 * {@link UnsupportedKerasModelException} before any import work.
 */
public final class KerasModelImporter {

    private static final Logger log = LoggerFactory.getLogger(KerasModelImporter.class);

    private KerasModelImporter() {}

    /** Imports {@code file} with {@link KerasLayerRegistry#defaults()}. */
    public static ImportedKerasModel importModel(Path file) {
        return importModel(file, KerasLayerRegistry.defaults());
    }

    /**
     * Imports {@code file} with the importers of {@code registry}.
     *
     * @throws IllegalArgumentException when the file is not a Keras 2 HDF5 model, or a weight is
     *     missing or shaped differently from what the configuration implies (the message names the
     *     layer, the weight and both shapes)
     * @throws UnsupportedKerasModelException listing every layer that cannot be imported
     */
    public static ImportedKerasModel importModel(Path file, KerasLayerRegistry registry) {
        try (KerasFile f = KerasFile.open(file)) {
            KerasModelScan scan = KerasModelScan.scan(file, KerasModelConfig.read(f), registry);
            scan.requireImportable();
            if (!f.groups().contains("model_weights")) {
                throw new IllegalArgumentException(
                        file
                                + " holds a Keras model configuration but no 'model_weights' group;"
                                + " save the model with its weights (model.save(\"model.h5\"))");
            }
            return build(f, scan.model(), registry);
        }
    }

    private static ImportedKerasModel build(
            KerasFile file, KerasModelConfig model, KerasLayerRegistry registry) {
        GraphBuilder g =
                new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder();
        g.addInputs(model.inputs().toArray(new String[0]));
        KerasImportContext.State state = new KerasImportContext.State(file, g);
        Set<String> masks = KerasModelScan.maskInputs(model);
        List<String> unused = new ArrayList<>();
        for (KerasLayerConfig layer : topologicalOrder(model)) {
            KerasImportContext c = new KerasImportContext(state, layer, weightNames(file, layer));
            if (KerasLayerRegistry.INPUT_LAYER.equals(layer.className())) {
                c.output(input(c, layer, masks.contains(layer.name())));
            } else {
                c.output(registry.importer(layer.className()).orElseThrow().importLayer(c));
            }
            c.unusedWeights().forEach(w -> unused.add(layer.name() + ": " + w));
        }
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(
                    file.path()
                            + ": weights that the layers' configurations do not use (for example"
                            + " a bias with use_bias=False): "
                            + unused);
        }
        List<String> outputs = outputs(state, model);
        g.setOutputs(outputs.toArray(new String[0]));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        copyParams(graph, state.params);
        log.info(
                "Imported Keras model {}: {} layers, {} parameters",
                file.path(),
                model.layers().size(),
                graph.numParams());
        return new ImportedKerasModel(graph, model.inputs(), outputs, state.vertices);
    }

    /** A model input: a flattened sequence, a vector, an image (as fed) or a key mask. */
    private static KerasTensor input(KerasImportContext c, KerasLayerConfig layer, boolean mask) {
        JsonNode s = layer.config().get("batch_input_shape");
        long[] shape = new long[s.size() - 1];
        for (int i = 1; i < s.size(); i++) {
            shape[i - 1] = s.get(i).isNull() ? -1 : s.get(i).asLong();
        }
        String name = layer.name();
        if (mask) {
            String keys = c.vertexName("keys");
            c.addVertex(keys, new SequenceMaskVertex(SequenceMaskVertex.Source.KEY_MASK), name);
            return new KerasTensor(keys, shape, KerasTensor.Kind.MASK, Optional.empty());
        }
        if (shape.length == 1) {
            return new KerasTensor(name, shape, KerasTensor.Kind.VECTOR, Optional.empty());
        }
        if (shape.length == 3) {
            return new KerasTensor(name, shape, KerasTensor.Kind.IMAGE, Optional.empty());
        }
        String flat = c.vertexName("flat");
        c.addVertex(flat, new FlattenSequenceVertex(), name);
        return new KerasTensor(flat, shape, KerasTensor.Kind.SEQUENCE, Optional.of(name));
    }

    /** Output vertices; sequences are reshaped back to [batch, time, features]. */
    private static List<String> outputs(KerasImportContext.State state, KerasModelConfig model) {
        List<String> outputs = new ArrayList<>();
        for (String name : model.outputs()) {
            KerasTensor t = state.tensors.get(name);
            if (t.kind() == KerasTensor.Kind.SEQUENCE) {
                String out = name + ".sequence";
                state.graph.addVertex(
                        out,
                        new UnflattenSequenceVertex(),
                        t.vertex(),
                        KerasImportContext.allTokensMask(state, t));
                outputs.add(out);
            } else {
                outputs.add(t.vertex());
            }
        }
        return outputs;
    }

    private static List<String> weightNames(KerasFile file, KerasLayerConfig layer) {
        boolean hasGroup =
                file.groups("model_weights").contains(layer.name())
                        && file.hasAttribute("weight_names", "model_weights", layer.name());
        return hasGroup
                ? file.readStrings("weight_names", "model_weights", layer.name())
                : List.of();
    }

    /** Layers ordered so that each comes after the layers it reads. */
    private static List<KerasLayerConfig> topologicalOrder(KerasModelConfig model) {
        Map<String, KerasLayerConfig> pending = new LinkedHashMap<>();
        model.layers().forEach(l -> pending.put(l.name(), l));
        List<KerasLayerConfig> order = new ArrayList<>();
        Set<String> done = new java.util.HashSet<>();
        while (!pending.isEmpty()) {
            KerasLayerConfig next =
                    pending.values().stream()
                            .filter(l -> done.containsAll(l.inputs()))
                            .filter(l -> done.containsAll(l.tensorArguments().values()))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "The model's layers form a cycle: "
                                                            + pending.keySet()));
            order.add(next);
            done.add(next.name());
            pending.remove(next.name());
        }
        return order;
    }

    private static void copyParams(
            ComputationGraph graph, List<KerasImportContext.ParamAssignment> params) {
        for (KerasImportContext.ParamAssignment p : params) {
            INDArray target = graph.getLayer(p.vertex()).getParam(p.param());
            INDArray value = p.value();
            boolean bothVectors = target.isVector() && value.isVector();
            if (bothVectors && target.length() == value.length()) {
                value = value.reshape(target.shape());
            }
            if (!Arrays.equals(target.shape(), value.shape())) {
                throw new IllegalArgumentException(
                        "Keras layer '"
                                + p.kerasLayer()
                                + "': parameter "
                                + p.param()
                                + " of '"
                                + p.vertex()
                                + "' has shape "
                                + Arrays.toString(target.shape())
                                + ", the weight read has "
                                + Arrays.toString(value.shape()));
            }
            target.assign(value.castTo(target.dataType()));
        }
    }
}
