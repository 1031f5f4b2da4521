package org.tl4j.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;

/** Look-ups on the vertices of a {@link ComputationGraph} with errors that list what exists. */
public final class GraphVertices {

    private GraphVertices() {}

    /**
     * Checks that a vertex exists.
     *
     * @param field the setting that named the vertex, quoted in the error
     * @throws IllegalArgumentException naming the vertex and listing the vertices that exist
     */
    public static void require(ComputationGraph graph, String field, String vertex) {
        if (!graph.getConfiguration().getVertices().containsKey(vertex)) {
            throw new IllegalArgumentException(
                    field
                            + ": no vertex named '"
                            + vertex
                            + "' in the graph; vertices are "
                            + PretrainedModel.sortedVertexNames(graph));
        }
    }

    /** The vertex names in topological order (inputs first). */
    public static List<String> topologicalOrder(ComputationGraph graph) {
        List<String> order = new ArrayList<>();
        GraphVertex[] vertices = graph.getVertices();
        for (int index : graph.topologicalSortOrder()) {
            order.add(vertices[index].getVertexName());
        }
        return order;
    }

    /** The named vertex and every vertex it depends on, directly or indirectly. */
    public static Set<String> ancestorsInclusive(ComputationGraph graph, String vertex) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Set<String> seen = new LinkedHashSet<>();
        List<String> stack = new ArrayList<>(List.of(vertex));
        while (!stack.isEmpty()) {
            String v = stack.remove(stack.size() - 1);
            if (seen.add(v)) {
                List<String> inputs = conf.getVertexInputs().get(v);
                if (inputs != null) {
                    stack.addAll(inputs);
                }
            }
        }
        return seen;
    }

    /** Names of the layer vertices that hold parameters, in topological order. */
    public static List<String> parameterisedLayers(ComputationGraph graph) {
        List<String> layers = new ArrayList<>();
        for (String name : topologicalOrder(graph)) {
            GraphVertex v = graph.getVertex(name);
            if (v.hasLayer() && v.getLayer().numParams() > 0) {
                layers.add(name);
            }
        }
        return layers;
    }
}
