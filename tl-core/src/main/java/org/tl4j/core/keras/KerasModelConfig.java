package org.tl4j.core.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed {@code model_config} of a Keras 2 functional model: layers in file order, model inputs
 * and outputs.
 *
 * @param kerasVersion the {@code keras_version} attribute, or {@code "unknown"}
 * @param layers the layers
 * @param inputs names of the input layers, in the model's input order
 * @param outputs names of the layers whose outputs are the model's outputs, in order
 */
record KerasModelConfig(
        String kerasVersion,
        List<KerasLayerConfig> layers,
        List<String> inputs,
        List<String> outputs) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads the root attributes of {@code file}. */
    static KerasModelConfig read(KerasFile file) {
        if (!file.hasAttribute("model_config")) {
            throw new IllegalArgumentException(
                    file.path()
                            + " is an HDF5 file but not a Keras model: it has no 'model_config'"
                            + " attribute at its root (root attributes: "
                            + file.rootAttributeNames()
                            + "). Files written by save_weights hold no architecture. "
                            + KerasFile.SUPPORTED_FORMATS);
        }
        String version =
                file.hasAttribute("keras_version")
                        ? file.readStrings("keras_version").get(0)
                        : "unknown";
        if (version.startsWith("3")) {
            throw new UnsupportedOperationException(
                    file.path()
                            + " was written by Keras "
                            + version
                            + ", whose configuration format differs from Keras 2's. "
                            + KerasFile.SUPPORTED_FORMATS);
        }
        String json = file.readStrings("model_config").get(0);
        return parse(file.path() + "", version, json);
    }

    /** Parses a {@code model_config} JSON text; {@code source} names it in messages. */
    static KerasModelConfig parse(String source, String version, String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    source + ": model_config is not valid JSON: " + e.getOriginalMessage(), e);
        }
        String cls = root.path("class_name").asText("");
        if (!cls.equals("Functional") && !cls.equals("Model")) {
            throw new UnsupportedOperationException(
                    source
                            + ": the model class is '"
                            + cls
                            + "'; tl4j imports functional models (class Functional or Model),"
                            + " not Sequential or subclassed ones");
        }
        JsonNode config = root.path("config");
        List<KerasLayerConfig> layers = new ArrayList<>();
        for (JsonNode layer : required(source, config, "layers")) {
            layers.add(layer(source, layer));
        }
        return new KerasModelConfig(
                version,
                layers,
                tensorNames(source, required(source, config, "input_layers")),
                tensorNames(source, required(source, config, "output_layers")));
    }

    private static KerasLayerConfig layer(String source, JsonNode layer) {
        String name = layer.path("name").asText(layer.path("config").path("name").asText(""));
        String cls = layer.path("class_name").asText("");
        if (name.isEmpty() || cls.isEmpty()) {
            throw new IllegalArgumentException(
                    source + ": a layer has no name or class_name: " + abbreviate(layer));
        }
        JsonNode nodes = layer.path("inbound_nodes");
        List<String> inputs = new ArrayList<>();
        Map<String, String> tensors = new LinkedHashMap<>();
        Map<String, JsonNode> others = new LinkedHashMap<>();
        if (nodes.isArray() && nodes.size() > 0) {
            for (JsonNode tensor : tensorsOf(nodes.get(0))) {
                if (!tensor.isArray() || tensor.size() < 3) {
                    throw new IllegalArgumentException(
                            source
                                    + ": layer '"
                                    + name
                                    + "' has an inbound node in an unknown format (Keras 2"
                                    + " writes [layer, node, tensor, kwargs]): "
                                    + abbreviate(tensor));
                }
                inputs.add(tensor.get(0).asText());
                if (tensor.size() > 3) {
                    kwargs(tensor.get(3), tensors, others);
                }
            }
        }
        return new KerasLayerConfig(
                name,
                cls,
                layer.path("config"),
                inputs,
                tensors,
                others,
                Math.max(1, nodes.size()));
    }

    /**
     * The tensors of one inbound node. Keras 2 writes a node as a list of {@code [layer, node,
     * tensor, kwargs]}, but a TensorFlow-op layer (TFOpLambda, SlicingOpLambda) called on a single
     * tensor as that one entry unwrapped.
     */
    private static List<JsonNode> tensorsOf(JsonNode node) {
        List<JsonNode> tensors = new ArrayList<>();
        if (node.isArray() && node.size() > 0 && node.get(0).isTextual()) {
            tensors.add(node);
        } else {
            node.forEach(tensors::add);
        }
        return tensors;
    }

    private static void kwargs(
            JsonNode kwargs, Map<String, String> tensors, Map<String, JsonNode> others) {
        kwargs.fields()
                .forEachRemaining(
                        e -> {
                            JsonNode v = e.getValue();
                            boolean isTensor =
                                    v.isArray()
                                            && v.size() == 3
                                            && v.get(0).isTextual()
                                            && v.get(1).isInt();
                            if (isTensor) {
                                tensors.put(e.getKey(), v.get(0).asText());
                            } else {
                                others.put(e.getKey(), v);
                            }
                        });
    }

    private static JsonNode required(String source, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException(
                    source + ": model_config has no '" + field + "' list in its config");
        }
        return value;
    }

    private static List<String> tensorNames(String source, JsonNode list) {
        List<String> names = new ArrayList<>();
        for (JsonNode t : list) {
            names.add(t.isArray() ? t.get(0).asText() : t.asText());
        }
        return names;
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
