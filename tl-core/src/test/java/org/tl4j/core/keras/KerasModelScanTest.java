package org.tl4j.core.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pre-scan on configurations written inline (no file): inputs, custom classes, settings. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KerasModelScanTest {

    private static final String VIT_LIKE =
            """
            {"class_name": "Functional", "config": {"name": "vit",
             "layers": [
              {"class_name": "InputLayer", "name": "image", "inbound_nodes": [],
               "config": {"batch_input_shape": [null, 28, 28, 1], "name": "image"}},
              {"class_name": "PatchEncoder", "name": "patches", "config": {"name": "patches"},
               "inbound_nodes": [[["image", 0, 0, {}]]]},
              {"class_name": "MultiHeadAttention", "name": "mha",
               "config": {"name": "mha", "num_heads": 2, "key_dim": 4, "attention_axes": [1, 2]},
               "inbound_nodes": [[["patches", 0, 0, {"value": ["patches", 0, 0],
                                                     "use_causal_mask": true}]]]},
              {"class_name": "MultiHeadAttention", "name": "cross",
               "config": {"name": "cross", "num_heads": 2, "key_dim": 4},
               "inbound_nodes": [[["mha", 0, 0, {"value": ["patches", 0, 0]}]]]}
             ],
             "input_layers": [["image", 0, 0]], "output_layers": [["cross", 0, 0]]}}
            """;

    @Test
    void scan_imageInputCustomClassAndUnsupportedSettings_reportsEachOnce() {
        KerasModelScan scan = scan(KerasLayerRegistry.defaults());
        assertEquals(
                List.of(
                        "'patches' (PatchEncoder): no importer for Keras class PatchEncoder",
                        "'mha' (MultiHeadAttention): attention_axes [1,2] is not supported; only"
                                + " the sequence axis ([1] or null)",
                        "'mha' (MultiHeadAttention): use_causal_mask=True is not supported",
                        "'cross' (MultiHeadAttention): only self-attention is supported, but value"
                                + " comes from 'patches' and query from 'mha'"),
                scan.problems().stream().map(Object::toString).toList());
        assertEquals(Map.of("PatchEncoder", List.of("patches")), scan.unsupportedClasses());
    }

    @Test
    void scan_registeredCustomClass_isNoLongerReported() {
        KerasLayerRegistry registry =
                KerasLayerRegistry.defaults().toBuilder()
                        .register("PatchEncoder", c -> c.input())
                        .build();
        assertEquals(
                List.of("patches"),
                scan(KerasLayerRegistry.defaults()).problems().stream()
                        .map(KerasLayerProblem::layerName)
                        .filter(n -> n.equals("patches"))
                        .toList());
        assertEquals(
                List.of(),
                scan(registry).problems().stream()
                        .map(KerasLayerProblem::layerName)
                        .filter(n -> n.equals("patches"))
                        .toList());
    }

    private static KerasModelScan scan(KerasLayerRegistry registry) {
        KerasModelConfig model = KerasModelConfig.parse("vit.h5", "2.11.0", VIT_LIKE);
        return KerasModelScan.scan(Path.of("vit.h5"), model, registry);
    }
}
