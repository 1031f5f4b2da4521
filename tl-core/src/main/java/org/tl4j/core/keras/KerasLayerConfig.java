package org.tl4j.core.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One layer of a Keras 2 functional model configuration, as read from its {@code model_config}.
 *
 * @param name the layer's name (also its weight group in the file)
 * @param className the Keras class, for example {@code MultiHeadAttention}
 * @param config the layer's {@code config} object
 * @param inputs names of the layers whose outputs are the call's first argument, in order
 * @param tensorArguments the call's other tensor arguments, by keyword: for example {@code value}
 *     and {@code attention_mask} of a MultiHeadAttention call, each the name of a layer
 * @param otherArguments the call's keyword arguments that are not tensors (for example {@code
 *     training} or {@code use_causal_mask})
 * @param callCount how many times the model calls the layer (shared layers have more than one)
 */
public record KerasLayerConfig(
        String name,
        String className,
        JsonNode config,
        List<String> inputs,
        Map<String, String> tensorArguments,
        Map<String, JsonNode> otherArguments,
        int callCount) {

    /** Copies the collections. */
    public KerasLayerConfig {
        inputs = List.copyOf(inputs);
        tensorArguments = Map.copyOf(tensorArguments);
        otherArguments = Map.copyOf(otherArguments);
    }

    /**
     * @return the config field {@code field}, when present and not null
     */
    public Optional<JsonNode> field(String field) {
        JsonNode node = config.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    /**
     * @return the integer config field {@code field}
     * @throws IllegalArgumentException when it is missing or not an integer
     */
    public int intField(String field) {
        JsonNode node = field(field).orElse(null);
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new IllegalArgumentException(
                    describe() + ": config field '" + field + "' must be an integer, got " + node);
        }
        return node.intValue();
    }

    /**
     * @return the boolean config field {@code field}, or {@code fallback} when missing
     */
    public boolean boolField(String field, boolean fallback) {
        return field(field).map(JsonNode::asBoolean).orElse(fallback);
    }

    /**
     * @return {@code layer 'name' (ClassName)}, for messages
     */
    public String describe() {
        return "Keras layer '" + name + "' (" + className + ")";
    }
}
