package org.tl4j.core.keras;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A Keras model imported as a DL4J graph.
 *
 * @param graph the initialised graph holding the Keras weights; feed it the arrays the Keras model
 *     takes, in {@link #inputs()} order ({@code [batch, time, features]} sequences, {@code [batch,
 *     1, time]} attention masks, {@code [batch, height, width, channels]} images)
 * @param inputs graph input names: the Keras input layer names, in the model's order
 * @param outputs graph output vertices, one per Keras output, in order; sequence outputs come back
 *     as {@code [batch, time, features]}
 * @param vertices for each Keras layer, the DL4J vertices it became (empty for layers that are the
 *     identity at inference, such as Dropout); for example {@code mha -> [mha.query, mha.key,
 *     mha.value, mha.attention, mha.output]}
 */
public record ImportedKerasModel(
        ComputationGraph graph,
        List<String> inputs,
        List<String> outputs,
        Map<String, List<String>> vertices) {

    /** Copies the collections. */
    public ImportedKerasModel {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        vertices = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vertices));
    }
}
