package org.tl4j.core.lora;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;

/**
 * What {@link Lora#apply} does to each layer of a graph, resolved from a {@link LoraConfig}: the
 * pattern matching and every check that needs the graph (patterns that match nothing, targets that
 * are not dense projections, ranks too large for a layer).
 */
final class LoraPlan {

    /** The treatment of one layer. */
    enum Role {
        /** Replaced by a {@link LoraDenseLayer}. */
        LORA,
        /** Kept fully trainable (modules to save). */
        KEPT,
        /** Frozen (biases may still train under {@link LoraBias#ALL}). */
        FROZEN
    }

    private final Map<String, Role> roles;

    private LoraPlan(Map<String, Role> roles) {
        this.roles = roles;
    }

    /** The role of each layer with parameters, in topological order. */
    Map<String, Role> roles() {
        return roles;
    }

    /** The role of the named layer; layers without parameters are {@link Role#FROZEN}. */
    Role role(String name) {
        return roles.getOrDefault(name, Role.FROZEN);
    }

    /**
     * Resolves and checks the plan.
     *
     * @throws IllegalArgumentException when a pattern matches nothing, a layer is both a target and
     *     kept, a target is not a {@link DenseLayer}, or a rank exceeds min(nIn, nOut)
     * @throws UnsupportedOperationException when a non-layer vertex has parameters
     */
    static LoraPlan resolve(ComputationGraph graph, LoraConfig config) {
        List<String> names = layerNames(graph);
        checkVerticesWithParams(graph);
        requireMatches("targets", config.targets(), names);
        requireMatches("modulesToSave", config.modulesToSave(), names);
        Map<String, Role> roles = new LinkedHashMap<>();
        for (String name : names) {
            Layer layer = graph.getLayer(name);
            boolean target = isTarget(config, name);
            boolean kept = matchesAny(config.modulesToSave(), name);
            if (target && kept) {
                throw new IllegalArgumentException(
                        "layer '"
                                + name
                                + "' matches both targets "
                                + config.targets()
                                + " and modulesToSave "
                                + config.modulesToSave()
                                + "; exclude it from one of them");
            }
            if (target) {
                checkTarget(name, layer, config);
                roles.put(name, Role.LORA);
            } else if (layer.numParams() > 0) {
                roles.put(name, kept ? Role.KEPT : Role.FROZEN);
            }
        }
        if (!roles.containsValue(Role.LORA)) {
            throw new IllegalArgumentException(
                    "every layer matched by targets "
                            + config.targets()
                            + " is excluded by "
                            + config.exclusions()
                            + "; layers: "
                            + names);
        }
        return new LoraPlan(roles);
    }

    /** Whether the named layer is adapted: a target pattern matches and no exclusion does. */
    static boolean isTarget(LoraConfig config, String name) {
        return matchesAny(config.targets(), name) && !matchesAny(config.exclusions(), name);
    }

    static boolean matchesAny(List<String> patterns, String name) {
        for (String p : patterns) {
            if (Pattern.compile(p).matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Names of the graph's layers in topological order. */
    static List<String> layerNames(ComputationGraph graph) {
        List<String> names = new ArrayList<>();
        for (Layer l : graph.getLayers()) {
            names.add(l.conf().getLayer().getLayerName());
        }
        return names;
    }

    private static void requireMatches(String field, List<String> patterns, List<String> names) {
        for (String p : patterns) {
            boolean any = names.stream().anyMatch(n -> Pattern.compile(p).matcher(n).matches());
            if (!any) {
                throw new IllegalArgumentException(
                        field
                                + " pattern \""
                                + p
                                + "\" matches no layer (patterns must match the "
                                + "whole name); the layers are: "
                                + names);
            }
        }
    }

    private static void checkTarget(String name, Layer layer, LoraConfig config) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf instanceof LoraDenseLayer) {
            throw new IllegalArgumentException(
                    "layer '"
                            + name
                            + "' already carries a LoRA adapter; apply LoRA to the base "
                            + "graph, or merge first (Lora.mergeAndUnload)");
        }
        if (conf.getClass() != DenseLayer.class || ((DenseLayer) conf).hasLayerNorm()) {
            throw new IllegalArgumentException(
                    "target layer '"
                            + name
                            + "' is a "
                            + conf.getClass().getSimpleName()
                            + "; LoRA targets must be dense projections (DenseLayer without "
                            + "layer norm): narrow targets or add it to exclusions");
        }
        DenseLayer dense = (DenseLayer) conf;
        LoraChecks.checkRank("rank", config.rankFor(name), dense.getNIn(), dense.getNOut(), name);
    }

    private static void checkVerticesWithParams(ComputationGraph graph) {
        for (GraphVertex v : graph.getVertices()) {
            if (!v.hasLayer() && v.numParams() > 0) {
                throw new UnsupportedOperationException(
                        "vertex '"
                                + v.getVertexName()
                                + "' has parameters but is not a layer; "
                                + "LoRA cannot freeze such vertices ("
                                + v.getClass().getName()
                                + ")");
            }
        }
    }
}
